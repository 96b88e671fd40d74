// stdin_input.cpp — what stdin had read ahead and the program not yet consumed travels.
//
// A program reading stdin a character or a line at a time (dc, a REPL fed by a
// pipe) has more of it in stdio's buffer than it has used; the receiving
// process has its own stdin, so those bytes would be lost. The image carries
// them, and the receiver's stdin reads them first, then its own descriptor 0.
#include "diag.h"
#include "state.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace hm {

std::vector<unsigned char> unreadInput() {
#if defined(__GLIBC__)
  if (stdin && stdin->_IO_read_ptr && stdin->_IO_read_ptr < stdin->_IO_read_end)
    return {reinterpret_cast<const unsigned char *>(stdin->_IO_read_ptr),
            reinterpret_cast<const unsigned char *>(stdin->_IO_read_end)};
#endif
  return {};
}

namespace {
struct Pending {
  std::vector<unsigned char> bytes;
  std::size_t at = 0;
};

ssize_t readPending(void *cookie, char *buffer, std::size_t size) {
  auto *p = static_cast<Pending *>(cookie);
  if (p->at < p->bytes.size()) {
    const std::size_t n = std::min(size, p->bytes.size() - p->at);
    std::memcpy(buffer, p->bytes.data() + p->at, n);
    p->at += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t n;
  do
    n = ::read(STDIN_FILENO, buffer, size);
  while (n < 0 && errno == EINTR);
  return n;
}

// The stdin a restore made (its bytes read ahead on the sender, then fd 0).
FILE *gPrependedStream = nullptr;
Pending *gPrepended = nullptr;
} // namespace

int inputDescriptor(FILE *f, bool &inHand) {
  inHand = false;
#if defined(__GLIBC__)
  inHand = f && f->_IO_read_ptr && f->_IO_read_ptr < f->_IO_read_end;
#endif
  if (f && f == gPrependedStream) {
    inHand = inHand || gPrepended->at < gPrepended->bytes.size();
    return STDIN_FILENO;
  }
  return f ? ::fileno(f) : -1;
}

void prependInput(const unsigned char *bytes, std::size_t size) {
  if (size == 0)
    return;
#if defined(__GLIBC__)
  cookie_io_functions_t io{};
  io.read = readPending;
  auto *pending = new Pending{{bytes, bytes + size}, 0}; // for the process's life
  if (FILE *f = fopencookie(pending, "r", io)) {
    stdin = f;
    gPrependedStream = f;
    gPrepended = pending;
    return;
  }
  delete pending;
#endif
  note("the {} bytes stdin had read ahead on the sender are lost here", size);
}

} // namespace hm
