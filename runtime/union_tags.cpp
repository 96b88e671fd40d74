// union_tags.cpp — the union tags of a struct, as any unit of the program read them.
//
// hm-instrument reads a union's tag off one unit's code (passes/UnionTags.cpp),
// but the struct's objects may be allocated, and so typed, by a unit whose code
// never tests the tag (Lua reads CallInfo.u2's flag in ldebug.c and allocates
// CallInfo in lstate.c). Each unit lists the structs it found tags for; a union
// field with no tag of its own takes the one a unit read for the same struct
// (same name, size and fields). The first unit to register one wins: link
// order, the same for every target of one build.
#include "config.h"
#include "state.h"

#include <cstring>
#include <mutex>
#include <unordered_map>

namespace hm {

namespace {

bool sameStruct(const hm_type *a, const hm_type *b) {
  if (a->kind != b->kind || a->size != b->size || a->nfields != b->nfields ||
      std::strcmp(a->name, b->name) != 0)
    return false;
  for (unsigned i = 0; i < a->nfields; ++i) {
    const hm_field &x = a->fields[i], &y = b->fields[i];
    if (std::strcmp(x.name, y.name) != 0 || x.offset != y.offset ||
        x.bit_width != y.bit_width || x.type->kind != y.type->kind ||
        x.type->size != y.type->size)
      return false;
  }
  return true;
}

struct Twins {
  std::mutex lock;
  std::size_t unitsSeen = 0;
  bool any = false; // a unit lists a struct
  std::unordered_map<const hm_type *, const hm_type *> twin;   // null: none
};

Twins &twins() {
  static Twins t;
  return t;
}

// The struct like |record| whose unit read tags for it, or null.
const hm_type *twinOf(const hm_type *record) {
  Twins &t = twins();
  std::lock_guard<std::mutex> hold(t.lock);
  const auto &all = units();
  if (t.unitsSeen != all.size()) { // a library loaded since: index again
    t.twin.clear();
    t.any = false;
    for (const hm_unit *u : all)
      t.any |= u->ntagged > 0;
    t.unitsSeen = all.size();
  }
  if (!t.any)
    return nullptr;
  auto [it, fresh] = t.twin.emplace(record, nullptr);
  if (fresh) {
    for (const hm_unit *u : all)
      for (unsigned i = 0; i < u->ntagged && !it->second; ++i)
        if (u->tagged[i] != record && sameStruct(u->tagged[i], record))
          it->second = u->tagged[i];
  }
  return it->second;
}

} // namespace

const hm_field &taggedField(const hm_type *record, unsigned i) {
  const hm_field &f = record->fields[i];
  if (f.tag_field >= 0 || f.bit_width || f.type->kind != HM_K_UNION)
    return f;
  const hm_type *twin = twinOf(record);
  return twin && twin->fields[i].tag_field >= 0 ? twin->fields[i] : f;
}

} // namespace hm
