// request_protocol.h — how hm-migrate and libhmrt talk: the marker that says a
// program has libhmrt, the socket a request names, and the lines on it.
//
// A request: hm-migrate binds the abstract Unix socket HM_REQUEST_SOCKET(pid,
// nonce), then queues the migration signal to the process with the nonce as
// its value (sigqueue). At its next poll point the process connects, checks
// that the socket's owner is its own user or root, and reads one request line
// with the descriptor the image goes to attached (SCM_RIGHTS). hm-migrate
// checks that the peer is the process it signalled. Nobody else can bind the
// name first (hm-migrate picks it and binds it before it signals), and only
// the process's user or root can signal it.
//
//   requester -> process:  "HMCC-REQUEST <protocol> migrate|checkpoint <triple|-> <name>\n"
//                          <triple>: the destination's, as HM_MIGRATE_FOR; <name>:
//                          what messages call the destination
//   process -> requester:  "DEFERRED <why>\n"  the state refused it; tried again later
//                          "REFUSED <why>\n"   nothing was unwound; the program goes on
//                          "FAILED <why>\n"    the capture failed; the program goes on
//                          "WRITTEN <bytes> <out> <err>\n" the image is in the
//                                             descriptor; <out>, <err>: the sizes of
//                                             the regular files stdout and stderr are
//                                             on, all the program wrote before its
//                                             point ("-": not a regular file)
//   requester -> process:  "COMMIT\n"          after WRITTEN: a migration leaves
//                          "COMMIT RELAY\n"    the same, to another machine, with five
//                                             descriptors: the destination's stdin,
//                                             stdout, stderr, a pipe that brings its
//                                             exit status in decimal, and one that
//                                             takes "signal NAME\n" lines to forward;
//                                             the process relays them and exits with
//                                             that status
//                          "ABORT <why>\n"     after WRITTEN: the program goes on
// A closed connection before COMMIT is an ABORT: the program goes on.
//
// The destination of a move to another machine (HM_RESTORE=- and
// HM_RESTORE_HANDSHAKE=1), started before the source is asked, writes
// "HMCC-WAITING <its target triple>\n" on stdout (hm-migrate's request then
// names that triple), reads the image from stdin, restores the whole
// stack, writes "HMCC-READY <pid>\n" on stdout and waits for "GO\n" on stdin; then
// writes "HMCC-RUNNING\n" and goes on (detached, HM_RESTORE_OUTPUT: a new
// process goes on, and "HMCC-RUNNING <its pid>\n" says which). The requester commits the source only
// after HMCC-RUNNING; without GO the destination exits 75 having run nothing.
#ifndef HM_REQUEST_PROTOCOL_H
#define HM_REQUEST_PROTOCOL_H

#define HM_REQUEST_PROTOCOL 1
// The socket's name in the abstract namespace (after its leading 0 byte).
#define HM_REQUEST_SOCKET_FORMAT "hmcc-migrate-%ld-%u"
// A section every program linked with libhmrt has: hm-migrate signals only those.
#define HM_MARKER_SECTION ".note.hmcc"
// The longest line either side sends.
#define HM_REQUEST_LINE_MAX 4096

#endif
