// streams.h — the program's FILE streams on regular files (streams.cpp).
#ifndef HM_RUNTIME_STREAMS_H
#define HM_RUNTIME_STREAMS_H

#include <cstdio>
#include <string>
#include <vector>

namespace hm {

// An open stream the program opened with fopen: the key a landmark of it has
// ("stream MODE OFFSET EOF PATH"), or "!" and why it cannot be opened again.
// Buffered output is flushed: the offset is where the file ends up.
struct StreamLandmark {
  FILE *file;
  std::string key;
};
std::vector<StreamLandmark> openStreams();

// Whether |fd| is the descriptor of a stream libhmrt knows: the stream brings
// it back at its number, not the descriptor table.
bool streamOwnsDescriptor(int fd);

// Opens the stream a landmark key describes, at its offset; null and |why| when
// it cannot (the file is not there, the key is malformed). With |checkOnly|
// the key is checked and nothing opened: stdin stands in.
FILE *reopenStream(const std::string &key, std::string &why, bool checkOnly);

} // namespace hm
#endif
