# cut-connection.py LIMIT HOST PORT: an ssh ProxyCommand that carries the
# connection and cuts it once LIMIT bytes have gone from the client to the
# server: a connection lost part way through a move.
import os
import selectors
import socket
import sys

limit, host, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
server = socket.create_connection((host, port))
sel = selectors.DefaultSelector()
sel.register(0, selectors.EVENT_READ)
sel.register(server, selectors.EVENT_READ)
sent = 0
while True:
    for key, _ in sel.select():
        if key.fileobj == 0:
            data = os.read(0, min(65536, limit - sent))
            if not data:
                sys.exit(0)
            server.sendall(data)
            sent += len(data)
            if sent >= limit:
                sys.exit(0)
        else:
            data = server.recv(65536)
            if not data:
                sys.exit(0)
            os.write(1, data)
