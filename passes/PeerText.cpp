// PeerText.cpp — the unit as the preprocessor gives it for each other target, line by line.
#include "PeerText.h"
#include "Hash.h"
#include "InstrumentContext.h"

#include <algorithm>

namespace hm {
namespace {

std::uint64_t hashText(llvm::StringRef s) {
  return fnv1a(s) | 1; // never 0, which means "no text"
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

} // namespace

SourceLines splitLines(llvm::StringRef text) {
  SourceLines out;
  std::vector<SourceLine> *current = nullptr;
  unsigned line = 0;
  while (!text.empty()) {
    auto [l, rest] = text.split('\n');
    text = rest;
    llvm::StringRef file;
    if (lineMarker(l, line, file)) {
      current = &out[file.contains('\\') ? llvm::StringRef(unescape(file)) : file];
      continue;
    }
    if (current && !l.trim().empty()) {
      if (current->size() <= line)
        current->resize(line + 1);
      // A header included twice gives its lines twice: both count.
      SourceLine &h = (*current)[line];
      h.hash = h.hash * 31 + hashText(l.trim());
      h.text = l;
      ++h.count;
    }
    ++line;
  }
  return out;
}

const SourceLine &lineAt(const SourceLines &lines, llvm::StringRef file, unsigned line) {
  static const SourceLine none;
  auto it = lines.find(file);
  return it == lines.end() || line >= it->second.size() ? none : it->second[line];
}

const UnitTexts &unitTexts(InstrumentContext &ctx) {
  if (ctx.texts)
    return *ctx.texts;
  auto texts = std::make_shared<UnitTexts>();
  texts->own = splitLines(ctx.sm.getBufferData(ctx.sm.getMainFileID()));
  for (const auto &[triple, path] : ctx.peers) {
    PeerUnit &peer = texts->peers.emplace_back();
    peer.triple = triple;
    if (!path.empty())
      if (auto buf = llvm::MemoryBuffer::getFile(path)) {
        peer.buffer = std::move(*buf);
        peer.lines = splitLines(peer.buffer->getBuffer());
      }
  }
  ctx.texts = texts;
  return *texts;
}

} // namespace hm
