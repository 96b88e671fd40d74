// descriptors.h — the program's descriptors on files (descriptors.cpp).
#ifndef HM_RUNTIME_DESCRIPTORS_H
#define HM_RUNTIME_DESCRIPTORS_H

#include "image.h"

#include <string>
#include <vector>

namespace hm {

// The descriptors the program opened that are still open, each with its path,
// flags and offset, but |skip| (the image being written); or why one of them
// cannot travel (a pipe, a socket), asked before anything is unwound.
std::string describeDescriptors(std::vector<DescriptorRecord> &out, int skip);

// A descriptor libhmrt opened for itself (a requester's socket): not the program's.
void forgetOwnDescriptor(int fd);

// Opens each again at its number, with its access, at its offset; throws
// hm::Error when one cannot be (the number is taken here, the file is gone).
void reopenDescriptors(const std::vector<DescriptorRecord> &records);

} // namespace hm
#endif
