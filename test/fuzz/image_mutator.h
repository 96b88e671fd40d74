// image_mutator.h — structure-aware mutation of hmcc images for the fuzzer.
#ifndef HM_TEST_FUZZ_IMAGE_MUTATOR_H
#define HM_TEST_FUZZ_IMAGE_MUTATOR_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace hm::fuzz {

// Mutates the image of |size| bytes at |data| in place, within |maxSize| bytes,
// and returns its new size. An image that decodes gets one change to its
// structure (a field set to a boundary value or a near one, a word of an
// object's bytes made another object's address, a record dropped or
// repeated) and is encoded again with a valid checksum; anything else, and one
// image in eight, gets |bytes|'s change to its payload, resealed (none when
// |bytes| is null).
std::size_t mutateImage(std::uint8_t *data, std::size_t size, std::size_t maxSize,
                        unsigned seed,
                        std::size_t (*bytes)(std::uint8_t *, std::size_t, std::size_t));

// What mutateImage changed last, for a report.
const std::string &lastMutation();

} // namespace hm::fuzz
#endif
