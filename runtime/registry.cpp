// registry.cpp — the program's instrumented units, looked up by stable keys.
#include "config.h"
#include "diag.h"
#include "state.h"

#include <algorithm>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>

namespace hm {

namespace {
struct Registry {
  std::unordered_map<std::string, const char *> firstSource; // global key -> its unit
  std::unordered_map<std::string, const char *> firstFunc;   // function key -> its unit
  std::string clash(const std::string &key, const char *second) {
    auto g = firstSource.find(key);
    auto f = firstFunc.find(key);
    const char *first = g != firstSource.end() ? g->second
                        : f != firstFunc.end() ? f->second
                                               : "?";
    // Static things are keyed by file name: two files of one name clash.
    if (std::string(first) == second)
      return fmt::format("two units named {}", first);
    return fmt::format("units {} and {}", first, second);
  }
  std::vector<const hm_unit *> units;
  std::unordered_map<std::string, const hm_func *> funcs;
  std::unordered_map<std::string, const hm_global *> globals;
  std::unordered_map<std::string, const hm_alloc_site *> sites;
  std::unordered_map<std::string, const hm_literal *> literals;
  std::unordered_map<std::string, const hm_function *> functions;
  std::unordered_map<std::string, std::string> ambiguous; // key -> "a.c and b.c"
  std::vector<const hm_global *> programGlobals; // one per variable
  bool indexed = false;

  void index() {
    if (indexed)
      return;
    indexed = true;
    for (const hm_unit *u : units) {
      // Keys name things by file name: two files of one name in different
      // directories can give two things one key.
      for (unsigned i = 0; i < u->nfuncs; ++i)
        if (!funcs.emplace(u->funcs[i]->key, u->funcs[i]).second)
          ambiguous.emplace(u->funcs[i]->key, clash(u->funcs[i]->key, u->source));
        else
          firstFunc.emplace(u->funcs[i]->key, u->source);
      for (unsigned i = 0; i < u->nglobals; ++i) {
        const hm_global *g = &u->globals[i];
        auto [it, fresh] = globals.emplace(g->key, g);
        if (fresh) {
          programGlobals.push_back(g);
        } else if (it->second->addr != g->addr) {
          ambiguous.emplace(g->key, clash(g->key, u->source));
        } else if (g->type->size > it->second->type->size) {
          // One variable (tentative definitions the linker merged, -fcommon), of
          // the largest size any unit gave it.
          std::replace(programGlobals.begin(), programGlobals.end(), it->second, g);
          it->second = g;
        }
        if (fresh)
          firstSource.emplace(g->key, u->source);
      }
      for (unsigned i = 0; i < u->nsites; ++i)
        sites.emplace(u->sites[i]->key, u->sites[i]);
      for (unsigned i = 0; i < u->nliterals; ++i)
        literals.emplace(u->literals[i].key, &u->literals[i]);
      for (unsigned i = 0; i < u->nfunctions; ++i)
        functions.emplace(u->functions[i].key, &u->functions[i]);
    }
  }
};

Registry &registry() {
  static Registry r;
  return r;
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  // FNV-1a over the 8 bytes of v: stable on every target.
  for (int i = 0; i < 8; ++i) {
    h ^= (v >> (8 * i)) & 0xff;
    h *= 0x100000001b3ULL;
  }
  return h;
}
} // namespace

const std::vector<const hm_unit *> &units() { return registry().units; }

const hm_func *findFunction(const std::string &key) {
  registry().index();
  auto it = registry().funcs.find(key);
  return it == registry().funcs.end() ? nullptr : it->second;
}

const hm_site_code *codeDiffersOn(const hm_func *func, unsigned site,
                                  const std::string &triple) {
  if (!func->site_code || site == 0 || site > func->nsites)
    return nullptr;
  const hm_site_code *code = &func->site_code[site - 1];
  if (!code->differs_on || triple.empty())
    return code->differs_on ? code : nullptr;
  // HM_MIGRATE_FOR may name the target as any of its triples do.
  const auto canonical = [](const std::string &t) -> std::string {
    for (const char *known : {"x86_64", "aarch64", "s390x"})
      if (t.rfind(known, 0) == 0)
        return std::string(known) + "-linux-gnu";
    if (t.rfind("arm", 0) == 0 && t.size() >= 9 && t.compare(t.size() - 9, 9, "gnueabihf") == 0)
      return "arm-linux-gnueabihf";
    return t;
  };
  const std::string wanted = canonical(triple);
  std::istringstream list(code->differs_on);
  for (std::string t; list >> t;)
    if (t == wanted)
      return code;
  return nullptr;
}

const hm_type *variableLengthType(const hm_type *elem, std::uint64_t count) {
  struct Made {
    hm_type type;
    std::string name;
  };
  static std::map<std::pair<const hm_type *, std::uint64_t>, std::unique_ptr<Made>> made;
  std::unique_ptr<Made> &m = made[{elem, count}];
  if (!m) {
    m = std::make_unique<Made>();
    m->name = fmt::format("{}[{}]", elem->name, count);
    m->type = hm_type{};
    m->type.kind = HM_K_ARRAY;
    m->type.size = elem->size * count;
    m->type.name = m->name.c_str();
    m->type.elem = elem;
    m->type.count = count;
  }
  return &m->type;
}

std::size_t bufferOffset(const hm_func *func, unsigned var, const char *use) {
  if (var >= func->nvars)
    fatal("instrumented code {} variable {} of {}, whose table does not hold it", use, var,
          func->key);
  // hm-instrument laid the variables out one after the other with its own idea
  // of their sizes; the compiler's sizeof must agree, or copies would overlap.
  const hm_var &v = func->vars[var];
  const std::size_t end = var + 1 < func->nvars ? func->vars[var + 1].offset : func->buffer_size;
  if (std::size_t(v.offset) + v.type->size > end)
    fatal("variable '{}' of {} ({}) takes {} bytes, more than hm-instrument laid out for it: "
          "was this unit compiled for another target or with other layout flags than "
          "hm-instrument saw?",
          v.name, func->key, v.where, v.type->size);
  return v.offset;
}

const std::vector<const hm_global *> &programGlobals() {
  registry().index();
  return registry().programGlobals;
}

const hm_global *findGlobal(const std::string &key) {
  registry().index();
  auto it = registry().globals.find(key);
  return it == registry().globals.end() ? nullptr : it->second;
}

template <class Map>
static auto lookup(const Map &map, const std::string &key) ->
    typename Map::mapped_type {
  registry().index();
  auto it = map.find(key);
  return it == map.end() ? nullptr : it->second;
}

std::string ambiguousKey(const std::string &key) {
  registry().index();
  auto it = registry().ambiguous.find(key);
  return it == registry().ambiguous.end() ? "" : it->second;
}

const hm_alloc_site *findAllocSite(const std::string &key) {
  return lookup(registry().sites, key);
}
const hm_literal *findLiteral(const std::string &key) {
  return lookup(registry().literals, key);
}
const hm_function *findFunctionAddress(const std::string &key) {
  return lookup(registry().functions, key);
}

const hm_pinned *findPinned(std::uintptr_t pc) {
  // Every function in hm_pinned is listed, so the nearest start below |pc| is
  // the one that holds it. A Thumb function's address has its low bit set.
  const hm_pinned *best = nullptr;
  std::uintptr_t bestStart = 0;
  for (const hm_unit *u : units())
    for (unsigned i = 0; i < u->npinned; ++i) {
      const std::uintptr_t start = reinterpret_cast<std::uintptr_t>(u->pinned[i].addr) & ~std::uintptr_t(1);
      if (start <= pc && (!best || start > bestStart)) {
        best = &u->pinned[i];
        bestStart = start;
      }
    }
  return best;
}

std::vector<UnitRecord> unitRecords() {
  std::vector<UnitRecord> out;
  for (const hm_unit *u : units())
    out.push_back({u->source, u->fingerprint});
  std::sort(out.begin(), out.end(), [](const UnitRecord &a, const UnitRecord &b) {
    return a.source != b.source ? a.source < b.source
                                : a.fingerprint < b.fingerprint;
  });
  return out;
}

std::uint64_t programFingerprint() {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const UnitRecord &u : unitRecords()) {
    for (char c : u.source)
      h = mix(h, static_cast<unsigned char>(c));
    h = mix(h, u.fingerprint);
  }
  return h;
}

std::string describeFingerprintMismatch(const Image &image) {
  std::map<std::string, std::uint64_t> mine, theirs;
  for (const UnitRecord &u : unitRecords())
    mine[u.source] = u.fingerprint;
  for (const UnitRecord &u : image.units)
    theirs[u.source] = u.fingerprint;
  std::string out;
  auto add = [&](const std::string &s) { out += (out.empty() ? "" : "; ") + s; };
  for (const auto &[src, fp] : theirs) {
    auto it = mine.find(src);
    if (it == mine.end())
      add(fmt::format("unit '{}' of the image is not in this program", src));
    else if (it->second != fp)
      add(fmt::format("unit '{}' was built from different source", src));
  }
  for (const auto &[src, fp] : mine)
    if (!theirs.count(src))
      add(fmt::format("unit '{}' of this program is not in the image", src));
  return out.empty() ? "the programs differ" : out;
}

double millisecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - t)
      .count();
}

} // namespace hm

extern "C" HM_EXPORT void hm_rt_register_unit(hm_unit *unit) {
  hm::registry().units.push_back(unit);
  hm::Registry &r = hm::registry();
  r.indexed = false;
  r.funcs.clear();
  r.globals.clear();
  r.sites.clear();
  r.literals.clear();
  r.functions.clear();
  r.ambiguous.clear();
}
