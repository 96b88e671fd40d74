// image_mutator.cpp — one structure-aware change to an image, encoded again whole.
#include "image_mutator.h"

#include "config.h"
#include "crc32c.h"
#include "image.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <type_traits>
#include <random>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace hm::fuzz {
namespace {

std::string gLast;

// A field of the decoded image that a mutation may set.
struct Scalar {
  void *at;
  unsigned width;  // bytes
  bool isSigned;
  std::string name;
};

// A list of records a mutation may shorten or lengthen.
struct List {
  std::string name;
  std::function<std::size_t()> size;
  std::function<void(std::size_t)> erase, repeat;
};

template <class V> List listOf(std::string name, V &v) {
  return {std::move(name), [&v] { return v.size(); },
          [&v](std::size_t i) { v.erase(v.begin() + static_cast<std::ptrdiff_t>(i)); },
          [&v](std::size_t i) { v.insert(v.begin() + static_cast<std::ptrdiff_t>(i), v[i]); }};
}

// Every field, string, byte run and list of |image| (with its heap records
// decoded into |heap|), named for the report.
struct Fields {
  std::vector<Scalar> scalars;
  std::vector<std::pair<std::string *, std::string>> strings;
  std::vector<std::pair<Bytes *, std::string>> bytes;
  std::vector<List> lists;
  std::vector<std::uint64_t> addresses; // of the image's objects, for pointer words

  template <class T> void add(T &v, std::string name) {
    scalars.push_back({&v, sizeof v, std::is_signed_v<T>, std::move(name)});
  }

  Fields(Image &im, std::vector<HeapRecord> &heap) {
    strings.push_back({&im.model.arch, "model.arch"});
    add(im.model.big_endian, "model.big_endian");
    add(im.model.pointer_size, "model.pointer_size");
    add(im.model.long_size, "model.long_size");
    add(im.fingerprint, "fingerprint");
    lists.push_back(listOf("units", im.units));
    for (std::size_t i = 0; i < im.types.size(); ++i) {
      TypeRecord &t = im.types[i];
      const std::string n = fmt::format("types[{}]", i);
      add(t.kind, n + ".kind");
      add(t.size, n + ".size");
      add(t.elem, n + ".elem");
      add(t.count, n + ".count");
      add(t.mant_dig, n + ".mant_dig");
      add(t.flags, n + ".flags");
      strings.push_back({&t.name, n + ".name"});
      lists.push_back(listOf(n + ".fields", t.fields));
      for (std::size_t j = 0; j < t.fields.size(); ++j) {
        FieldRecord &f = t.fields[j];
        const std::string m = fmt::format("{}.fields[{}]", n, j);
        strings.push_back({&f.name, m + ".name"});
        add(f.type, m + ".type");
        add(f.offset, m + ".offset");
        add(f.bit_offset, m + ".bit_offset");
        add(f.bit_width, m + ".bit_width");
        add(f.tag_field, m + ".tag_field");
        for (std::size_t k = 0; k < f.tag_values.size(); ++k)
          add(f.tag_values[k], fmt::format("{}.tag_values[{}]", m, k));
        for (std::size_t k = 0; k < f.tag_members.size(); ++k)
          add(f.tag_members[k], fmt::format("{}.tag_members[{}]", m, k));
        for (std::size_t k = 0; k < f.tag_masks.size(); ++k)
          add(f.tag_masks[k], fmt::format("{}.tag_masks[{}]", m, k));
        lists.push_back(listOf(m + ".tag_values", f.tag_values));
        lists.push_back(listOf(m + ".tag_members", f.tag_members));
      }
    }
    lists.push_back(listOf("types", im.types));
    lists.push_back(listOf("frames", im.frames));
    for (std::size_t i = 0; i < im.frames.size(); ++i) {
      FrameRecord &fr = im.frames[i];
      const std::string n = fmt::format("frames[{}]", i);
      strings.push_back({&fr.func, n + ".func"});
      add(fr.site, n + ".site");
      lists.push_back(listOf(n + ".vars", fr.vars));
      for (std::size_t j = 0; j < fr.vars.size(); ++j) {
        VarRecord &v = fr.vars[j];
        const std::string m = fmt::format("{}.vars[{}]", n, j);
        add(v.index, m + ".index");
        strings.push_back({&v.name, m + ".name"});
        add(v.type, m + ".type");
        add(v.address, m + ".address");
        bytes.push_back({&v.bytes, m + ".bytes"});
        if (v.address)
          addresses.push_back(v.address);
      }
    }
    lists.push_back(listOf("globals", im.globals));
    for (std::size_t i = 0; i < im.globals.size(); ++i) {
      GlobalRecord &g = im.globals[i];
      const std::string n = fmt::format("globals[{}]", i);
      strings.push_back({&g.key, n + ".key"});
      add(g.type, n + ".type");
      add(g.address, n + ".address");
      add(g.constant, n + ".constant");
      bytes.push_back({&g.bytes, n + ".bytes"});
      addresses.push_back(g.address);
    }
    lists.push_back(listOf("sites", im.sites));
    for (std::size_t i = 0; i < im.sites.size(); ++i)
      strings.push_back({&im.sites[i], fmt::format("sites[{}]", i)});
    lists.push_back(listOf("heap", heap));
    for (std::size_t i = 0; i < heap.size(); ++i) {
      HeapRecord &h = heap[i];
      const std::string n = fmt::format("heap[{}]", i);
      HeapTable::eachField(h, [&](auto &f) { add(f, n + ".field"); });
      // Names in the order eachField gives them.
      static const char *const kNames[] = {"address", "size",   "type",     "count",     "tail",
                                           "typed",   "site",   "placed_site", "has_ref",
                                           "ref_frame", "ref_var", "ref_at", "align"};
      for (std::size_t k = 0; k < std::size(kNames); ++k)
        scalars[scalars.size() - std::size(kNames) + k].name = n + "." + kNames[k];
      bytes.push_back({&h.bytes, n + ".bytes"});
      addresses.push_back(h.address);
      addresses.push_back(h.address + h.size);
    }
    lists.push_back(listOf("landmarks", im.landmarks));
    for (std::size_t i = 0; i < im.landmarks.size(); ++i) {
      LandmarkRecord &l = im.landmarks[i];
      const std::string n = fmt::format("landmarks[{}]", i);
      add(l.kind, n + ".kind");
      strings.push_back({&l.key, n + ".key"});
      add(l.address, n + ".address");
      add(l.size, n + ".size");
      addresses.push_back(l.address);
    }
    bytes.push_back({&im.input, "input"});
    lists.push_back(listOf("args", im.args));
    for (std::size_t i = 0; i < im.args.size(); ++i)
      strings.push_back({&im.args[i], fmt::format("args[{}]", i)});
    for (std::size_t i = 0; i < im.argv_order.size(); ++i)
      add(im.argv_order[i], fmt::format("argv_order[{}]", i));
    lists.push_back(listOf("argv_order", im.argv_order));
    lists.push_back(listOf("unions", im.unions));
    for (std::size_t i = 0; i < im.unions.size(); ++i) {
      UnionChoiceRecord &u = im.unions[i];
      const std::string n = fmt::format("unions[{}]", i);
      add(u.frame, n + ".frame");
      add(u.var, n + ".var");
      add(u.at, n + ".at");
      add(u.level, n + ".level");
      add(u.member, n + ".member");
    }
    lists.push_back(listOf("segments", im.segments));
    for (std::size_t i = 0; i < im.segments.size(); ++i) {
      SegmentRecord &s = im.segments[i];
      const std::string n = fmt::format("segments[{}]", i);
      add(s.block, n + ".block");
      add(s.offset, n + ".offset");
      add(s.type, n + ".type");
      add(s.count, n + ".count");
      add(s.fields, n + ".fields");
      add(s.tail, n + ".tail");
      add(s.site, n + ".site");
      add(s.placed_site, n + ".placed_site");
      add(s.has_ref, n + ".has_ref");
      add(s.ref_frame, n + ".ref_frame");
      add(s.ref_var, n + ".ref_var");
      add(s.ref_at, n + ".ref_at");
    }
    lists.push_back(listOf("befores", im.befores));
    for (std::size_t i = 0; i < im.befores.size(); ++i) {
      ElementsBeforeRecord &b = im.befores[i];
      const std::string n = fmt::format("befores[{}]", i);
      add(b.frame, n + ".frame");
      add(b.var, n + ".var");
      add(b.at, n + ".at");
      add(b.bytes, n + ".bytes");
      add(b.count, n + ".count");
    }
    lists.push_back(listOf("dead", im.dead));
    lists.push_back(listOf("ends", im.ends));
    for (std::size_t i = 0; i < im.dead.size(); ++i)
      add(im.dead[i], fmt::format("dead[{}]", i));
    for (std::size_t i = 0; i < im.ends.size(); ++i)
      add(im.ends[i], fmt::format("ends[{}]", i));
    lists.push_back(listOf("descriptors", im.descriptors));
    for (std::size_t i = 0; i < im.descriptors.size(); ++i) {
      DescriptorRecord &d = im.descriptors[i];
      const std::string n = fmt::format("descriptors[{}]", i);
      add(d.fd, n + ".fd");
      strings.push_back({&d.path, n + ".path"});
      add(d.flags, n + ".flags");
      add(d.offset, n + ".offset");
    }
    lists.push_back(listOf("numbers", im.numbers));
    for (std::size_t i = 0; i < im.numbers.size(); ++i) {
      NumberRecord &r = im.numbers[i];
      const std::string n = fmt::format("numbers[{}]", i);
      add(r.kind, n + ".kind");
      add(r.index, n + ".index");
      add(r.number, n + ".number");
    }
    add(im.byte_order_bound, "byte_order_bound");
  }
};

// A value for a field |width| bytes wide: a boundary, or near the old one.
std::uint64_t boundaryValue(std::mt19937_64 &rng, std::uint64_t old, unsigned width,
                            bool isSigned) {
  const unsigned bits = 8 * width;
  const std::uint64_t mask = bits >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << bits) - 1;
  const std::uint64_t top = std::uint64_t(1) << (bits - 1);
  const std::uint64_t choices[] = {0, 1, 2, mask, mask - 1, top, top - 1, 0x7f, 0x80, 0xff,
                                   0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
                                   0xffffffff, 0x100000000, std::uint64_t(1) << 39,
                                   std::uint64_t(1) << 62, old + 1, old - 1, old * 2,
                                   old + 8, old - 8, old + 4096, old ^ 0x80000000};
  std::uint64_t v = rng() % 4 == 0 ? rng() : choices[rng() % std::size(choices)];
  if (isSigned && rng() % 4 == 0)
    v = static_cast<std::uint64_t>(-static_cast<std::int64_t>(rng() % 3 + 1));
  return v & mask;
}

void store(const Scalar &s, std::uint64_t v) {
  switch (s.width) {
  case 1: { std::uint8_t x = static_cast<std::uint8_t>(v); std::memcpy(s.at, &x, 1); break; }
  case 2: { std::uint16_t x = static_cast<std::uint16_t>(v); std::memcpy(s.at, &x, 2); break; }
  case 4: { std::uint32_t x = static_cast<std::uint32_t>(v); std::memcpy(s.at, &x, 4); break; }
  default: std::memcpy(s.at, &v, 8); break;
  }
}

std::uint64_t load(const Scalar &s) {
  std::uint64_t v = 0;
  std::memcpy(&v, s.at, s.width); // little-endian host: the low bytes
  return v;
}

// The bytes of |b| made its own, so that they can change.
void own(Bytes &b) {
  if (!b.view)
    return;
  b.data.assign(b.view, b.view + b.viewSize);
  b.view = nullptr;
  b.viewSize = 0;
}

// Applies one change; false when the image offers nothing to change.
bool mutateStructure(Image &im, std::vector<HeapRecord> &heap, std::mt19937_64 &rng) {
  Fields f(im, heap);
  const unsigned pick = static_cast<unsigned>(rng() % 100);
  if (pick < 55 && !f.scalars.empty()) {
    const Scalar &s = f.scalars[rng() % f.scalars.size()];
    const std::uint64_t old = load(s);
    std::uint64_t v = boundaryValue(rng, old, s.width, s.isSigned);
    if (rng() % 4 == 0 && !f.addresses.empty() && s.width == 8)
      v = f.addresses[rng() % f.addresses.size()] + rng() % 17 - 8;
    store(s, v);
    gLast = fmt::format("{} {:#x} -> {:#x}", s.name, old, v);
    return true;
  }
  if (pick < 80 && !f.bytes.empty()) {
    auto &[b, name] = f.bytes[rng() % f.bytes.size()];
    if (b->size() == 0)
      return false;
    own(*b);
    const unsigned width = b->size() >= 8 && rng() % 2 ? 8 : b->size() >= 4 ? 4 : 1;
    const std::size_t at = (rng() % (b->size() - width + 1)) & ~std::size_t(width - 1);
    std::uint64_t v;
    if (!f.addresses.empty() && rng() % 2) // a pointer made another object's, or near it
      v = f.addresses[rng() % f.addresses.size()] + (rng() % 5 == 0 ? rng() % 64 : 0);
    else
      v = boundaryValue(rng, 0, width, false);
    std::memcpy(b->data.data() + at, &v, width);
    gLast = fmt::format("{} at {}: {} bytes {:#x}", name, at, width, v);
    return true;
  }
  if (pick < 88 && !f.strings.empty()) {
    auto &[s, name] = f.strings[rng() % f.strings.size()];
    const std::string old = *s;
    switch (rng() % 4) {
    case 0: s->clear(); break;
    case 1: if (!s->empty()) s->back() = static_cast<char>(rng()); break;
    case 2: s->push_back('x'); break;
    default: if (!f.strings.empty()) *s = *f.strings[rng() % f.strings.size()].first; break;
    }
    gLast = fmt::format("{} '{}' -> '{}'", name, old, *s);
    return true;
  }
  std::vector<List *> nonEmpty;
  for (List &l : f.lists)
    if (l.size())
      nonEmpty.push_back(&l);
  if (nonEmpty.empty())
    return false;
  List &l = *nonEmpty[rng() % nonEmpty.size()];
  const std::size_t i = rng() % l.size();
  if (rng() % 2) {
    l.erase(i);
    gLast = fmt::format("{}[{}] removed", l.name, i);
  } else {
    l.repeat(i);
    gLast = fmt::format("{}[{}] repeated", l.name, i);
  }
  return true;
}

// Encodes |im| (its heap from |heap|) into |out|, within |maxSize| bytes.
std::size_t encode(Image &im, std::vector<HeapRecord> &heap, std::uint8_t *out,
                   std::size_t maxSize) {
  im.heap.produce = [&heap](std::size_t i) { return heap[i]; };
  im.heap.produced = heap.size();
  const int fd = ::memfd_create("hmcc-mutant", MFD_CLOEXEC);
  if (fd < 0)
    return 0;
  std::size_t n = 0;
  try {
    n = static_cast<std::size_t>(writeImage(im, fd, "mutant"));
  } catch (const std::exception &) {
    n = 0;
  }
  if (n == 0 || n > maxSize || ::pread(fd, out, n, 0) != static_cast<ssize_t>(n))
    n = 0;
  ::close(fd);
  return n;
}

void reseal(std::uint8_t *data, std::size_t size) {
  if (size < kImageHeaderSize)
    return;
  const std::uint64_t length = size - kImageHeaderSize;
  for (int i = 0; i < 8; ++i)
    data[12 + i] = static_cast<std::uint8_t>(length >> (8 * (7 - i)));
  Crc32c crc;
  crc.update(data + kImageHeaderSize, length);
  const std::uint32_t c = crc.value();
  for (int i = 0; i < 4; ++i)
    data[20 + i] = static_cast<std::uint8_t>(c >> (8 * (3 - i)));
}

} // namespace

const std::string &lastMutation() { return gLast; }

std::size_t mutateImage(std::uint8_t *data, std::size_t size, std::size_t maxSize,
                        unsigned seed,
                        std::size_t (*bytes)(std::uint8_t *, std::size_t, std::size_t)) {
  std::mt19937_64 rng(seed);
  if (!bytes || rng() % 8 != 0) {
    try {
      // The decoded image's bytes are views into |data|: copied before it is
      // written over.
      std::vector<std::uint8_t> copy(data, data + size);
      Image im = decodeImage(reinterpret_cast<const char *>(copy.data()), copy.size(), "seed");
      std::vector<HeapRecord> heap;
      {
        HeapRecordReader reader(im.heap);
        for (std::size_t i = 0; i < im.heap.spans.size(); ++i)
          heap.push_back(reader.next());
      }
      if (mutateStructure(im, heap, rng))
        if (const std::size_t n = encode(im, heap, data, maxSize))
          return n;
    } catch (const std::exception &) {
      // Not an image this runtime decodes: a byte-level change instead.
    }
  }
  if (size <= kImageHeaderSize || !bytes)
    return size;
  const std::size_t n = kImageHeaderSize +
                        bytes(data + kImageHeaderSize, size - kImageHeaderSize,
                              maxSize - kImageHeaderSize);
  reseal(data, n);
  gLast = "payload bytes changed, resealed";
  return n;
}

} // namespace hm::fuzz
