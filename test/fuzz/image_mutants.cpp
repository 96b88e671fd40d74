// image_mutants.cpp — writes structure-aware mutants of an image, for receivers
// the in-process fuzzer cannot be (other architectures, under qemu-user):
//
//   image-mutants SEED.img OUTDIR COUNT [FIRST]
//
// writes OUTDIR/mutant-<n>.img for n in [FIRST, FIRST + COUNT), each one change
// of image_mutator.cpp with a valid checksum, and prints one line per mutant:
// its file and the change. test/tools/image-mutants.py restores them.
#include "image_mutator.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: image-mutants SEED.img OUTDIR COUNT [FIRST]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::vector<std::uint8_t> seed{std::istreambuf_iterator<char>(in),
                                       std::istreambuf_iterator<char>()};
  if (!in || seed.empty()) {
    std::fprintf(stderr, "image-mutants: cannot read '%s'\n", argv[1]);
    return 1;
  }
  const unsigned long count = std::strtoul(argv[3], nullptr, 10);
  const unsigned long first = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 0;
  for (unsigned long n = first; n < first + count; ++n) {
    std::vector<std::uint8_t> mutant(seed);
    mutant.resize(seed.size() * 2 + 4096);
    const std::size_t size = hm::fuzz::mutateImage(mutant.data(), seed.size(), mutant.size(),
                                                   static_cast<unsigned>(n), nullptr);
    const std::string path = std::string(argv[2]) + "/mutant-" + std::to_string(n) + ".img";
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(mutant.data()), static_cast<std::streamsize>(size));
    if (!out) {
      std::fprintf(stderr, "image-mutants: cannot write '%s'\n", path.c_str());
      return 1;
    }
    std::printf("%s\t%s\n", path.c_str(), hm::fuzz::lastMutation().c_str());
  }
  return 0;
}
