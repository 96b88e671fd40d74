// config.h — build-time configuration of libhmrt, shared by every runtime file.
#ifndef HM_RUNTIME_CONFIG_H
#define HM_RUNTIME_CONFIG_H

// The target triple this copy of the runtime is built for (set by CMake).
#ifndef HM_TARGET_TRIPLE
#error "HM_TARGET_TRIPLE must be defined by the build"
#endif

// Symbols of the C ABI that instrumented code calls; everything else is hidden.
#define HM_EXPORT __attribute__((visibility("default")))

namespace hm {
// Bumped whenever the image layout changes; older or newer images are refused.
constexpr unsigned kImageFormatVersion = 13;
// First bytes of every image file.
constexpr char kImageMagic[8] = {'H', 'M', 'C', 'C', 'I', 'M', 'G', '\n'};
// Magic, format version (4 bytes), payload length (8), CRC-32C (4); all big-endian.
constexpr unsigned kImageHeaderSize = 8 + 4 + 8 + 4;
} // namespace hm

#endif
