// TargetCode.cpp — the functions whose code the preprocessor makes differ between targets.
//
// hmcc preprocesses each unit for every other target it has a runtime for too
// (ctx.peers). Where what may run after a call site reads otherwise there
// (zlib's crc32_z walks its buffer in words of W bytes, and W is 8 on x86_64,
// 4 on armhf; an #if __x86_64__ in a body; LONG_MAX), the values in the frame
// mean something else on that target: the runtime does not move a frame
// stopped at that site there.
#include "InstrumentContext.h"
#include "RestoreLinks.h"

#include "clang/AST/Stmt.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>

using namespace clang;

namespace hm {
namespace {

// Per file, one hash per line of preprocessed text (index: the line in the
// source file, as the line markers say); 0 where no text came from it. Blank
// lines count as none: the preprocessor elides runs of them as it likes.
using LineHashes = llvm::StringMap<std::vector<std::uint64_t>>;

std::uint64_t hashText(llvm::StringRef s) {
  std::uint64_t h = 0xcbf29ce484222325ULL; // FNV-1a
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h | 1; // never 0, which means "no text"
}

// "# 4 "caf\303\251/t.c"": clang escapes a file name's backslashes, quotes
// and unprintable bytes; PresumedLoc gives the name itself.
std::string unescape(llvm::StringRef s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    if (s[i + 1] >= '0' && s[i + 1] <= '7') {
      unsigned v = 0, n = 0;
      while (n < 3 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7')
        v = v * 8 + (s[++i] - '0'), ++n;
      out += static_cast<char>(v);
      continue;
    }
    out += s[++i];
  }
  return out;
}

// "# 123 "file.c" 1 3": the next line is line 123 of file.c.
bool lineMarker(llvm::StringRef l, unsigned &line, llvm::StringRef &file) {
  if (!l.consume_front("# "))
    return false;
  llvm::StringRef number = l.take_while([](char c) { return c >= '0' && c <= '9'; });
  if (number.empty() || number.getAsInteger(10, line))
    return false;
  l = l.drop_front(number.size()).ltrim();
  if (!l.consume_front("\""))
    return false;
  // The name ends at the first quote no backslash escapes.
  std::size_t end = 0;
  while (end < l.size() && l[end] != '"')
    end += l[end] == '\\' ? 2 : 1;
  file = l.take_front(std::min(end, l.size()));
  return true;
}

LineHashes hashLines(llvm::StringRef text) {
  LineHashes out;
  std::vector<std::uint64_t> *current = nullptr;
  unsigned line = 0;
  while (!text.empty()) {
    auto [l, rest] = text.split('\n');
    text = rest;
    llvm::StringRef file;
    if (lineMarker(l, line, file)) {
      current = &out[file.contains('\\') ? llvm::StringRef(unescape(file)) : file];
      continue;
    }
    l = l.trim();
    if (current && !l.empty()) {
      if (current->size() <= line)
        current->resize(line + 1, 0);
      // A header included twice gives its lines twice: both count.
      std::uint64_t &h = (*current)[line];
      h = h * 31 + hashText(l);
    }
    ++line;
  }
  return out;
}

std::uint64_t lineHash(const LineHashes &lines, llvm::StringRef file, unsigned line) {
  auto it = lines.find(file);
  return it == lines.end() || line >= it->second.size() ? 0 : it->second[line];
}

// What may take a restored frame back before its site: gotos (from, to), as
// lines; |anywhere| when a computed goto or a setjmp may go back anywhere.
struct BackEdges {
  std::vector<std::pair<unsigned, unsigned>> gotos;
  bool anywhere = false;
};

void findBackEdges(const SourceManager &sm, const Stmt *st, BackEdges &out) {
  if (!st)
    return;
  if (const auto *g = dyn_cast<GotoStmt>(st)) {
    const PresumedLoc from = sm.getPresumedLoc(sm.getExpansionLoc(g->getBeginLoc()));
    const PresumedLoc to =
        sm.getPresumedLoc(sm.getExpansionLoc(g->getLabel()->getStmt()->getBeginLoc()));
    if (from.isValid() && to.isValid())
      out.gotos.emplace_back(from.getLine(), to.getLine());
    else
      out.anywhere = true;
  }
  if (isa<IndirectGotoStmt>(st))
    out.anywhere = true;
  for (const Stmt *child : st->children())
    findBackEdges(sm, child, out);
}

// The first line a restore at a site whose code starts at |from| may run.
unsigned firstLineRun(unsigned from, unsigned start, const BackEdges &back) {
  if (back.anywhere)
    return start;
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto &[gotoLine, labelLine] : back.gotos)
      if (gotoLine >= from && labelLine < from) {
        from = std::max(labelLine, start);
        moved = true;
      }
  }
  return from;
}

} // namespace

void runTargetCode(InstrumentContext &ctx) {
  if (ctx.peers.empty() || ctx.frames.empty())
    return;
  SourceManager &sm = ctx.ast.getSourceManager();
  const LineHashes own = hashLines(sm.getBufferData(sm.getMainFileID()));
  for (const auto &[triple, path] : ctx.peers) {
    std::optional<LineHashes> peer;
    if (!path.empty())
      if (auto buf = llvm::MemoryBuffer::getFile(path))
        peer = hashLines((*buf)->getBuffer());
    for (FunctionFrame &f : ctx.frames) {
      const PresumedLoc begin = sm.getPresumedLoc(sm.getExpansionLoc(f.fn->getBeginLoc()));
      const PresumedLoc end = sm.getPresumedLoc(sm.getExpansionLoc(f.fn->getEndLoc()));
      if (begin.isInvalid() || end.isInvalid())
        continue;
      const llvm::StringRef file = begin.getFilename();
      BackEdges back;
      findBackEdges(sm, f.fn->getBody(), back);
      std::set<const CallExpr *> setjmps;
      callsites::findSetjmps(f.fn->getBody(), setjmps);
      back.anywhere |= !setjmps.empty(); // a longjmp goes back to one
      for (unsigned k = 1; k <= f.nsites; ++k) {
        // What a restore at site k may run: from its point (or its outermost
        // loop's start) to the end of the function.
        unsigned from = begin.getLine();
        if (auto it = f.siteFrom.find(k); it != f.siteFrom.end()) {
          const PresumedLoc p = sm.getPresumedLoc(sm.getExpansionLoc(it->second));
          if (p.isValid() && llvm::StringRef(p.getFilename()) == file)
            from = firstLineRun(std::max(from, p.getLine()), begin.getLine(), back);
        }
        if (!own.count(file)) // lines the comparison cannot find: all differ
          from = 0;
        std::string at;
        if (!peer) {
          at = "the unit could not be preprocessed for " + triple;
        } else {
          if (from == 0)
            at = "a file whose lines were not found";
          for (unsigned line = from; from && line <= end.getLine() && at.empty(); ++line)
            if (lineHash(own, file, line) != lineHash(*peer, file, line))
              at = llvm::sys::path::filename(file).str() + ":" + std::to_string(line);
        }
        if (at.empty())
          continue;
        auto &[on, first] = f.siteDiffers[k];
        on += (on.empty() ? "" : " ") + triple;
        if (first.empty())
          first = at;
      }
    }
  }
}

} // namespace hm
