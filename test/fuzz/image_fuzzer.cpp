// image_fuzzer.cpp — libFuzzer target: a restore's decoding, checks and conversions
// on images, in the build of test/fuzz/Inputs/program.c, with a structure-aware mutator.
//
// Every input must be refused with hm::Error or converted; a crash, a hang, a
// leak or a sanitizer report is a defect. HM_FUZZ_REPORT=1 says which, per input. Build: cmake --build build --target
// image-fuzzer; runs: test/fuzz/README.md.
#include "image_mutator.h"
#include "options.h"
#include "state.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <unistd.h>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t *data, std::size_t size,
                                        std::size_t maxSize);

// libhmrt reads its options once, in its constructors: without HM_RESTORE_CHECK
// (a check opens nothing an image names and runs nothing of the program), the
// fuzzer starts itself again with it.
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
  if (hm::options().checkOnly)
    return 0;
  ::setenv("HM_RESTORE_CHECK", "1", 1);
  ::execv("/proc/self/exe", *argv);
  std::perror("image-fuzzer: cannot start again with HM_RESTORE_CHECK=1");
  std::exit(1);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static const bool report = std::getenv("HM_FUZZ_REPORT") != nullptr;
  try {
    hm::checkImageInProcess(reinterpret_cast<const char *>(data), size);
    if (report)
      std::fprintf(stderr, "image-fuzzer: restores\n");
  } catch (const std::exception &e) {
    // Refused, with a reason: what an image that is not right must get.
    if (report)
      std::fprintf(stderr, "image-fuzzer: refused: %s\n", e.what());
  }
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t *data, std::size_t size,
                                               std::size_t maxSize, unsigned seed) {
  return hm::fuzz::mutateImage(data, size, maxSize, seed, LLVMFuzzerMutate);
}
