// downcasts.cpp — which struct a header's tag says an object is, over all the units.
//
// hm-instrument reads each unit's casts under a tag test (passes/Downcasts.cpp);
// a header pointer in one unit may point to an object whose cast only another
// unit makes, so the tables are merged by header name. A value that units map
// to different structs is dropped: the runtime never guesses.
#include "config.h"
#include "layout.h"
#include "state.h"

#include <cstring>
#include <map>
#include <mutex>
#include <string>

namespace hm {

namespace {

struct Table {
  const hm_type *header = nullptr;
  unsigned tagField = 0;
  bool broken = false;                       // units disagree on the tag field
  std::map<long long, const hm_type *> byValue;
  std::map<long long, bool> conflicting;
};

// Whether an object of |t| begins with a |header|: its fields first, at the same
// offsets (C's common initial sequence), or a |header| as its first member.
bool beginsWith(const hm_type *t, const hm_type *header) {
  if (t->kind != HM_K_STRUCT || header->kind != HM_K_STRUCT || !header->nfields)
    return false;
  if (t->nfields && t->fields[0].offset == 0 &&
      std::strcmp(t->fields[0].type->name, header->name) == 0 &&
      t->fields[0].type->size == header->size)
    return true;
  if (t->nfields < header->nfields)
    return false;
  for (unsigned i = 0; i < header->nfields; ++i) {
    const hm_field &a = t->fields[i], &b = header->fields[i];
    if (a.offset != b.offset || a.bit_width != b.bit_width || a.bit_offset != b.bit_offset ||
        a.type->kind != b.type->kind || a.type->size != b.type->size)
      return false;
  }
  return true;
}

bool isTag(const hm_field &f) {
  const hm_type *t = f.type;
  return !f.bit_width && t->size && t->size <= 8 &&
         (t->kind == HM_K_SINT || t->kind == HM_K_UINT);
}

const std::map<std::string, Table> &tables() {
  static std::map<std::string, Table> all;
  static std::once_flag once;
  std::call_once(once, [] {
    for (const hm_unit *u : units())
      for (unsigned i = 0; i < u->ndowncasts; ++i) {
        const hm_downcast &d = u->downcasts[i];
        if (d.tag_field >= d.header->nfields || !isTag(d.header->fields[d.tag_field]) ||
            !beginsWith(d.type, d.header))
          continue;
        Table &t = all[d.header->name];
        if (!t.header) {
          t.header = d.header;
          t.tagField = d.tag_field;
        } else if (t.tagField != d.tag_field || t.header->size != d.header->size) {
          t.broken = true;
        }
        auto [it, fresh] = t.byValue.emplace(d.value, d.type);
        if (!fresh && std::strcmp(it->second->name, d.type->name) != 0)
          t.conflicting[d.value] = true;
      }
  });
  return all;
}

const Table *tableOf(const hm_type *header) {
  if (!header || header->kind != HM_K_STRUCT)
    return nullptr;
  const auto &all = tables();
  if (all.empty())
    return nullptr;
  auto it = all.find(header->name);
  if (it == all.end() || it->second.broken || it->second.header->size != header->size)
    return nullptr;
  return &it->second;
}

} // namespace

bool readTag(const hm_type *header, const unsigned char *object, std::uint64_t avail,
             long long &value) {
  const Table *t = tableOf(header);
  if (!t)
    return false;
  const hm_field &f = header->fields[t->tagField];
  const std::uint64_t size = f.type->size;
  if (f.offset + size > avail || (size != 1 && size != 2 && size != 4 && size != 8))
    return false;
  value = readTag(f, object);
  return true;
}

const hm_type *downcastOf(const hm_type *header, const unsigned char *object,
                          std::uint64_t avail) {
  long long value = 0;
  if (!readTag(header, object, avail, value))
    return nullptr;
  const Table *t = tableOf(header);
  auto it = t->byValue.find(value);
  if (it == t->byValue.end() || t->conflicting.count(value))
    return nullptr;
  return it->second;
}

bool beginsWithHeader(const hm_type *t, const hm_type *header) { return beginsWith(t, header); }

bool tagNamesNone(const hm_type *header, const unsigned char *object, std::uint64_t avail) {
  long long value = 0;
  return readTag(header, object, avail, value) && !tableOf(header)->byValue.count(value);
}

const hm_type *downcastNamed(const hm_type *header, const std::string &name) {
  const Table *t = tableOf(header);
  if (!t)
    return nullptr;
  for (const auto &[value, type] : t->byValue)
    if (name == type->name && !t->conflicting.count(value))
      return type;
  return nullptr;
}

bool tagContradicts(const hm_type *pointee, const unsigned char *object,
                    std::uint64_t avail) {
  if (!pointee || pointee->kind != HM_K_STRUCT)
    return false;
  for (const auto &[name, t] : tables()) {
    if (t.broken)
      continue;
    bool names = false;
    for (const auto &[value, type] : t.byValue)
      names |= std::strcmp(type->name, pointee->name) == 0;
    if (!names)
      continue;
    long long value = 0;
    if (!readTag(t.header, object, avail, value))
      continue;
    auto it = t.byValue.find(value);
    if (it != t.byValue.end() && !t.conflicting.count(value) &&
        std::strcmp(it->second->name, pointee->name) != 0)
      return true;
  }
  return false;
}

bool downcastAllows(const hm_type *header, const hm_type *type, long long value) {
  const Table *t = tableOf(header);
  if (!t)
    return false;
  auto it = t->byValue.find(value);
  return it != t->byValue.end() && !t->conflicting.count(value) &&
         std::strcmp(it->second->name, type->name) == 0;
}

} // namespace hm
