// Inspect.cpp — prints an image: the sender's machine, program and units,
// frames with their variables' values, globals, the heap by type, sizes.
#include "Inspect.h"
#include "ExitCodes.h"

#include "diag.h"
#include "config.h"
#include "image.h"

#include <hm/abi.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

namespace hm::migrate {

namespace {

// What a value print shows of big things.
constexpr unsigned kMaxDepth = 3, kMaxElements = 8, kMaxText = 64;

// An untrusted name as text: control bytes (a terminal's escapes) and bytes
// past ASCII are shown as \xNN.
std::string shown(const std::string &s) {
  std::string out;
  for (const unsigned char c : s)
    if (c >= 0x20 && c < 0x7f)
      out.push_back(static_cast<char>(c));
    else
      out += fmt::format("\\x{:02x}", c);
  return out;
}

// Values in the sender's byte order, never past |size| bytes: the image is
// untrusted, and a type may claim more than its bytes hold.
class ValuePrinter {
public:
  ValuePrinter(const Image &image) : image(image) {}

  std::string value(std::uint32_t type, const unsigned char *p, std::uint64_t size,
                    unsigned depth = 0) const {
    if (type >= image.types.size())
      return "<type out of range>";
    const TypeRecord &t = image.types[type];
    if (t.size > size)
      return "<" + std::to_string(size) + " bytes>";
    switch (t.kind) {
    case HM_K_SINT:
    case HM_K_UINT:
    case HM_K_BOOL:
    case HM_K_CHAR: {
      if (t.size == 0 || t.size > 8)
        return "<" + std::to_string(t.size) + "-byte integer>";
      std::uint64_t v = integer(p, t.size);
      if (t.kind == HM_K_SINT && t.size < 8 && (v >> (8 * t.size - 1)) & 1)
        v |= ~std::uint64_t(0) << (8 * t.size);
      return t.kind == HM_K_SINT ? std::to_string(static_cast<std::int64_t>(v))
                                 : std::to_string(v);
    }
    case HM_K_FLOAT: {
      if (t.size == 4) {
        const std::uint32_t bits = static_cast<std::uint32_t>(integer(p, 4));
        float f;
        std::memcpy(&f, &bits, 4);
        return fmt::format("{}", f);
      }
      if (t.size == 8) {
        const std::uint64_t bits = integer(p, 8);
        double d;
        std::memcpy(&d, &bits, 8);
        return fmt::format("{}", d);
      }
      return "<float>";
    }
    case HM_K_LDOUBLE:
      return "<long double>";
    case HM_K_POINTER:
    case HM_K_FUNCPTR: {
      const unsigned n = image.model.pointer_size;
      if (n == 0 || n > 8 || n > size)
        return "<pointer>";
      const std::uint64_t v = integer(p, n);
      return v ? fmt::format("0x{:x}", v) : "NULL";
    }
    case HM_K_ARRAY: {
      if (t.elem < 0 || static_cast<std::uint64_t>(t.elem) >= image.types.size())
        return "<element type out of range>";
      const TypeRecord &e = image.types[static_cast<std::size_t>(t.elem)];
      if (e.kind == HM_K_CHAR && e.size == 1)
        return text(p, std::min<std::uint64_t>(t.count, size));
      if (depth >= kMaxDepth || e.size == 0)
        return "[...]";
      std::string out = "[";
      for (std::uint64_t i = 0; i < t.count && i * e.size < size; ++i) {
        if (i == kMaxElements) {
          out += fmt::format(", ... {} more", t.count - i);
          break;
        }
        out += (i ? ", " : "") + value(static_cast<std::uint32_t>(t.elem), p + i * e.size,
                                       size - i * e.size, depth + 1);
      }
      return out + "]";
    }
    case HM_K_STRUCT:
    case HM_K_UNION: {
      if (depth >= kMaxDepth)
        return "{...}";
      std::string out = "{";
      unsigned count = 0;
      for (const FieldRecord &f : t.fields) {
        if (count == kMaxElements) {
          out += ", ...";
          break;
        }
        out += (count++ ? ", " : "") + shown(f.name) + " = ";
        if (f.bit_width || f.offset >= size)
          out += f.bit_width ? "<bit-field>" : "<out of range>";
        else
          out += value(f.type, p + f.offset, size - f.offset, depth + 1);
      }
      return out + "}";
    }
    default:
      return "<unsupported>";
    }
  }

  std::string typeName(std::uint32_t type) const {
    return type < image.types.size() ? image.types[type].name : "<type out of range>";
  }

private:
  std::uint64_t integer(const unsigned char *p, std::uint64_t n) const {
    std::uint64_t v = 0;
    for (std::uint64_t i = 0; i < n; ++i)
      v |= std::uint64_t(p[image.model.big_endian ? n - 1 - i : i]) << (8 * i);
    return v;
  }
  static std::string text(const unsigned char *p, std::uint64_t n) {
    std::string out = "\"";
    for (std::uint64_t i = 0; i < n && p[i]; ++i) {
      if (i == kMaxText) {
        out += "...";
        break;
      }
      const unsigned char c = p[i];
      if (c == '"' || c == '\\')
        out += fmt::format("\\{}", static_cast<char>(c));
      else if (c >= 0x20 && c < 0x7f)
        out.push_back(static_cast<char>(c));
      else
        out += fmt::format("\\x{:02x}", c);
    }
    return out + "\"";
  }

  const Image &image;
};

std::string jsonString(const std::string &s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    if (c == '"' || c == '\\')
      out += fmt::format("\\{}", static_cast<char>(c));
    else if (c < 0x20 || c >= 0x7f)
      out += fmt::format("\\u{:04x}", c);
    else
      out.push_back(static_cast<char>(c));
  }
  return out + "\"";
}

// Blocks and bytes of the heap by the type its records say.
struct HeapSummary {
  std::uint64_t blocks = 0, bytes = 0;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> byType;
};

HeapSummary summarizeHeap(const Image &image, const ValuePrinter &values) {
  HeapSummary s;
  HeapRecordReader reader(image.heap);
  for (std::size_t i = 0; i < image.heap.size(); ++i) {
    const HeapRecord &r = reader.next();
    ++s.blocks;
    s.bytes += r.size;
    std::string name = !r.typed ? "raw bytes"
                       : r.typed == HeapRecord::kPointerWords ? "void *[]"
                                                              : values.typeName(r.type);
    auto &[blocks, bytes] = s.byType[name];
    ++blocks;
    bytes += r.size;
  }
  return s;
}

const char *landmarkKind(std::uint8_t kind) {
  switch (kind) {
  case kLiteral: return "string literal";
  case kFunction: return "function";
  case kArgv: return "argv";
  case kStdio: return "stdio";
  case kEnv: return "environment";
  case kStream: return "stream";
  default: return "unknown";
  }
}

void printText(const std::string &path, std::size_t fileSize, const Image &image) {
  const ValuePrinter values(image);
  const DataModel &m = image.model;
  fmt::print("image {}: {} bytes, format {}\n", path, fileSize, kImageFormatVersion);
  fmt::print("made on {} ({}-endian, {}-byte pointers, {}-byte long){}\n", shown(m.arch),
             m.big_endian ? "big" : "little", m.pointer_size, m.long_size,
             image.byte_order_bound ? "; restores only where the byte order is the same" : "");
  fmt::print("program fingerprint {:016x}, {} units\n", image.fingerprint, image.units.size());
  for (const UnitRecord &u : image.units)
    fmt::print("  unit {} ({:016x})\n", shown(u.source), u.fingerprint);
  fmt::print("arguments:");
  for (const std::string &a : image.args)
    fmt::print(" {}", jsonString(a.empty() ? a : a.substr(0, a.size() - 1)));
  fmt::print("\nframes, outermost first: {}\n", image.frames.size());
  for (std::size_t i = 0; i < image.frames.size(); ++i) {
    const FrameRecord &f = image.frames[i];
    fmt::print("  #{} {} at call site {}\n", i, shown(f.func), f.site);
    for (const VarRecord &v : f.vars)
      fmt::print("      {} {} = {}\n", shown(values.typeName(v.type)), shown(v.name),
                 values.value(v.type, v.bytes.ptr(), v.bytes.size()));
  }
  fmt::print("globals: {}\n", image.globals.size());
  for (const GlobalRecord &g : image.globals)
    fmt::print("  {} {} = {}\n", shown(values.typeName(g.type)), shown(g.key),
               g.constant ? "(constant: the receiver's own)"
                          : values.value(g.type, g.bytes.ptr(), g.bytes.size()));
  const HeapSummary heap = summarizeHeap(image, values);
  fmt::print("heap: {} blocks, {} bytes; {} pieces of blocks that hold several objects\n",
             heap.blocks, heap.bytes, image.segments.size());
  for (const auto &[type, counts] : heap.byType)
    fmt::print("  {}: {} blocks, {} bytes\n", shown(type), counts.first, counts.second);
  std::map<std::string, unsigned> landmarks;
  for (const LandmarkRecord &l : image.landmarks)
    ++landmarks[landmarkKind(l.kind)];
  fmt::print("landmarks (what pointers point to outside the heap and globals): {}\n",
             image.landmarks.size());
  for (const auto &[kind, n] : landmarks)
    fmt::print("  {}: {}\n", kind, n);
  fmt::print("descriptors: {}\n", image.descriptors.size());
  for (const DescriptorRecord &d : image.descriptors)
    fmt::print("  {} {} at offset {}\n", d.fd, shown(d.path), d.offset);
  fmt::print("stdin read ahead: {} bytes\n", image.input.size());
  fmt::print("types: {}; union choices: {}\n", image.types.size(), image.unions.size());
}

void printJson(const std::string &path, std::size_t fileSize, const Image &image) {
  const ValuePrinter values(image);
  const DataModel &m = image.model;
  std::string out = "{\n";
  out += fmt::format("  \"path\": {}, \"bytes\": {}, \"format\": {},\n", jsonString(path),
                     fileSize, kImageFormatVersion);
  out += fmt::format("  \"arch\": {}, \"big_endian\": {}, \"pointer_size\": {}, "
                     "\"long_size\": {}, \"byte_order_bound\": {},\n",
                     jsonString(m.arch), m.big_endian ? "true" : "false", m.pointer_size,
                     m.long_size, image.byte_order_bound ? "true" : "false");
  out += fmt::format("  \"fingerprint\": \"{:016x}\",\n  \"units\": [", image.fingerprint);
  for (std::size_t i = 0; i < image.units.size(); ++i)
    out += fmt::format("{}{{\"source\": {}, \"fingerprint\": \"{:016x}\"}}", i ? ", " : "",
                       jsonString(image.units[i].source), image.units[i].fingerprint);
  out += "],\n  \"arguments\": [";
  for (std::size_t i = 0; i < image.args.size(); ++i) {
    const std::string &a = image.args[i];
    out += (i ? ", " : "") + jsonString(a.empty() ? a : a.substr(0, a.size() - 1));
  }
  out += "],\n  \"frames\": [";
  for (std::size_t i = 0; i < image.frames.size(); ++i) {
    const FrameRecord &f = image.frames[i];
    out += fmt::format("{}\n    {{\"function\": {}, \"site\": {}, \"variables\": [", i ? "," : "",
                       jsonString(f.func), f.site);
    for (std::size_t j = 0; j < f.vars.size(); ++j) {
      const VarRecord &v = f.vars[j];
      out += fmt::format("{}{{\"name\": {}, \"type\": {}, \"value\": {}}}", j ? ", " : "",
                         jsonString(v.name), jsonString(values.typeName(v.type)),
                         jsonString(values.value(v.type, v.bytes.ptr(), v.bytes.size())));
    }
    out += "]}";
  }
  out += "],\n  \"globals\": [";
  for (std::size_t i = 0; i < image.globals.size(); ++i) {
    const GlobalRecord &g = image.globals[i];
    out += fmt::format("{}\n    {{\"name\": {}, \"type\": {}, \"value\": {}}}", i ? "," : "",
                       jsonString(g.key), jsonString(values.typeName(g.type)),
                       g.constant ? "null"
                                  : jsonString(values.value(g.type, g.bytes.ptr(), g.bytes.size())));
  }
  const HeapSummary heap = summarizeHeap(image, values);
  out += fmt::format("],\n  \"heap\": {{\"blocks\": {}, \"bytes\": {}, \"segments\": {}, "
                     "\"by_type\": [",
                     heap.blocks, heap.bytes, image.segments.size());
  bool first = true;
  for (const auto &[type, counts] : heap.byType) {
    out += fmt::format("{}{{\"type\": {}, \"blocks\": {}, \"bytes\": {}}}", first ? "" : ", ",
                       jsonString(type), counts.first, counts.second);
    first = false;
  }
  out += "]},\n  \"descriptors\": [";
  for (std::size_t i = 0; i < image.descriptors.size(); ++i) {
    const DescriptorRecord &d = image.descriptors[i];
    out += fmt::format("{}{{\"fd\": {}, \"path\": {}, \"offset\": {}}}", i ? ", " : "", d.fd,
                       jsonString(d.path), d.offset);
  }
  out += fmt::format("],\n  \"landmarks\": {}, \"types\": {}, \"union_choices\": {}, "
                     "\"stdin_read_ahead\": {}\n}}\n",
                     image.landmarks.size(), image.types.size(), image.unions.size(),
                     image.input.size());
  std::fputs(out.c_str(), stdout);
}

} // namespace

int inspectImage(const std::string &path, bool json) {
  // Read, not mapped: a file cut short while it is read must not stop this
  // with SIGBUS.
  std::ifstream in(path, std::ios::binary);
  std::string bytes;
  if (in)
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) {
    std::fprintf(stderr, "hm-migrate: cannot read image '%s': %s\n", path.c_str(),
                 std::strerror(errno));
    return kBadImage;
  }
  try {
    const Image image = decodeImage(bytes.data(), bytes.size(), fmt::format("image '{}'", path));
    if (json)
      printJson(path, bytes.size(), image);
    else
      printText(path, bytes.size(), image);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "hm-migrate: %s\n", e.what());
    return kBadImage;
  }
  return kDone;
}

} // namespace hm::migrate
