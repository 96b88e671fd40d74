// request_channel.cpp — a request from hm-migrate: the socket it names, the
// descriptor the image goes to, and the verdict that lets a migration leave
// (include/hm/request_protocol.h).
#include "request.h"
#include "descriptors.h"
#include "diag.h"

#include <hm/request_protocol.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <vector>
#include <unistd.h>

// hm-migrate signals only programs that have this ELF note (it reads the files
// a process maps): a program without libhmrt would die of the signal.
namespace {
struct MarkerNote {
  std::uint32_t nameSize = 5, descSize = 4, type = 1;
  char name[8] = "hmcc";
  std::uint32_t protocol = HM_REQUEST_PROTOCOL;
};
__attribute__((section(HM_MARKER_SECTION), used, retain, aligned(4))) const MarkerNote kMarker;
} // namespace

namespace hm {

namespace {

// One line from |fd|, without its newline; descriptors that come with it
// (SCM_RIGHTS) are appended to |passed| (closed when |passed| is null). False at
// end of file or on error.
bool readLine(int fd, std::string &line, std::vector<int> *passed) {
  line.clear();
  while (line.size() < HM_REQUEST_LINE_MAX) {
    char c;
    iovec io{&c, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(5 * sizeof(int))];
    msghdr msg{};
    msg.msg_iov = &io;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    const ssize_t n = ::recvmsg(fd, &msg, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    for (cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
      if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
        for (std::size_t at = CMSG_LEN(0); at + sizeof(int) <= cm->cmsg_len; at += sizeof(int)) {
          int got;
          std::memcpy(&got, reinterpret_cast<unsigned char *>(cm) + at, sizeof got);
          ::fcntl(got, F_SETFD, FD_CLOEXEC);
          if (passed)
            passed->push_back(got);
          else
            ::close(got);
        }
    if (c == '\n')
      return true;
    line.push_back(c);
  }
  return false;
}

// Its words: the first |n| - 1 split at spaces, the last the rest of the line.
std::vector<std::string> words(const std::string &line, std::size_t n) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (out.size() + 1 < n) {
    const std::size_t space = line.find(' ', at);
    if (space == std::string::npos)
      break;
    out.push_back(line.substr(at, space - at));
    at = space + 1;
  }
  out.push_back(line.substr(at));
  return out;
}

// |fd| moved to a high number, where a program that opens files does not
// reach while a request waits; |fd| itself when there is no room.
int outOfTheWay(int fd) {
  const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 512);
  if (high < 0)
    return fd;
  ::close(fd);
  return high;
}

} // namespace

bool stillRequesters(const Destination &d) {
  struct stat st;
  auto same = [&](int fd, unsigned long dev, unsigned long ino) {
    return fd < 0 || (::fstat(fd, &st) == 0 && st.st_dev == dev && st.st_ino == ino);
  };
  return same(d.fd, d.fdDev, d.fdIno) && same(d.channel, d.channelDev, d.channelIno);
}

Destination connectRequester(unsigned nonce) {
  Destination d;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const int len = std::snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1,
                                HM_REQUEST_SOCKET_FORMAT, static_cast<long>(::getpid()), nonce);
  const std::string name = addr.sun_path + 1;
  const int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0)
    return d;
  forgetOwnDescriptor(s);
  const socklen_t size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + len);
  d.said = true; // each way to fail below says why
  if (::connect(s, reinterpret_cast<sockaddr *>(&addr), size) != 0) {
    note("migration request ignored: nobody listens on its socket '@{}' (the requester "
         "has gone)", name);
    ::close(s);
    return d;
  }
  // Only this process's user or root may say where its image goes.
  ucred peer{};
  socklen_t peerSize = sizeof peer;
  if (::getsockopt(s, SOL_SOCKET, SO_PEERCRED, &peer, &peerSize) != 0 ||
      (peer.uid != ::geteuid() && peer.uid != 0)) {
    note("migration request on socket '@{}' ignored: it belongs to user {}, not to this "
         "process's user {}", name, peer.uid, ::geteuid());
    ::close(s);
    return d;
  }
  timeval wait{10, 0}; // the request follows the connection at once
  ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  std::string line;
  std::vector<int> passed;
  const bool got = readLine(s, line, &passed);
  int fd = passed.empty() ? -1 : passed[0];
  for (std::size_t i = 1; i < passed.size(); ++i) // one descriptor per request
    ::close(passed[i]);
  const std::vector<std::string> w = words(line, 5);
  if (!got || fd < 0 || w.size() != 5 || w[0] != "HMCC-REQUEST" ||
      w[1] != std::to_string(HM_REQUEST_PROTOCOL) || (w[2] != "migrate" && w[2] != "checkpoint")) {
    note("migration request on socket '@{}' ignored: {}", name,
         got ? fmt::format("it is not one this runtime understands ('{}')", line)
             : "the requester sent no request");
    if (got)
      tellRequester(s, "REFUSED",
                    fmt::format("this runtime speaks request protocol {}", HM_REQUEST_PROTOCOL));
    if (fd >= 0)
      ::close(fd);
    ::close(s);
    return d;
  }
  wait = timeval{0, 0}; // a verdict takes as long as the destination needs
  ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  d.said = false;
  d.fd = outOfTheWay(fd);
  d.channel = outOfTheWay(s);
  struct stat st;
  if (::fstat(d.fd, &st) == 0)
    d.fdDev = st.st_dev, d.fdIno = st.st_ino;
  if (::fstat(d.channel, &st) == 0)
    d.channelDev = st.st_dev, d.channelIno = st.st_ino;
  d.checkpoint = w[2] == "checkpoint";
  d.triple = w[3] == "-" ? "" : w[3];
  d.path = w[4];
  return d;
}

void tellRequester(int channel, const char *word, const std::string &text) {
  if (channel < 0)
    return;
  std::string line = text.empty() ? std::string(word) : fmt::format("{} {}", word, text);
  if (line.size() >= HM_REQUEST_LINE_MAX)
    line.resize(HM_REQUEST_LINE_MAX - 1);
  for (char &c : line)
    if (c == '\n')
      c = ' ';
  line.push_back('\n');
  for (std::size_t done = 0; done < line.size();) {
    const ssize_t n = ::send(channel, line.data() + done, line.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    done += static_cast<std::size_t>(n);
  }
}

std::string awaitVerdict(int channel, std::vector<int> &relay) {
  std::string line;
  std::vector<int> passed;
  const bool got = readLine(channel, line, &passed);
  // Any commit is one: the destination may run already, and two copies must
  // never run. Without all five descriptors there is nothing to relay.
  if (got && line.rfind("COMMIT", 0) == 0) {
    if (line == "COMMIT RELAY" && passed.size() == 5) {
      relay = passed;
      return "";
    }
    for (int fd : passed)
      ::close(fd);
    if (line != "COMMIT") {
      // Moved, but its output cannot come back here: say so, and fail.
      note("moved, but hm-migrate's relay descriptors did not arrive ({} of 5): the "
           "program's output stays at the destination", passed.size());
      ::_exit(1);
    }
    return "";
  }
  for (int fd : passed)
    ::close(fd);
  if (!got)
    return "hm-migrate went away before the destination took the image";
  if (line.rfind("ABORT", 0) == 0)
    return line.size() > 6 ? line.substr(6) : "hm-migrate aborted it";
  return fmt::format("hm-migrate answered '{}'", line);
}

void closeDestination(Destination &d) {
  if (d.fd >= 0)
    ::close(d.fd);
  if (d.channel >= 0)
    ::close(d.channel);
  d = Destination();
}

} // namespace hm
