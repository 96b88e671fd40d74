// numbers.h — the numbers a restored process gives addresses it turns into integers.
//
// hm_rt_number(p) (hm/abi.h) is p itself in a process that never restored. A
// restore gives each object it brings the number the object's address had on
// the sender (its own number there, when that process was restored too), so
// that pointer hashes made before the migration hold after it.
#ifndef HM_RUNTIME_NUMBERS_H
#define HM_RUNTIME_NUMBERS_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hm {

struct Numbered {
  std::uintptr_t begin;   // here
  std::size_t size;
  std::uint64_t number;   // of begin
};

// Replaces the table (a restore): the objects whose number is not their address.
void setNumbers(std::vector<Numbered> objects);
// The number of address |a|: its object's, or |a| itself.
std::uint64_t numberOf(std::uintptr_t a);
// The heap block at |begin| is gone (freed, or moved by realloc).
void numberGone(std::uintptr_t begin);

} // namespace hm
#endif
