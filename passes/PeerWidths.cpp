// PeerWidths.cpp — whether a `long` that a declaration spells is a `long` on every target.
//
// The peers' text is read, not parsed: where a declaration's line (or its
// typedef's) differs on a peer, what stands in place of the type is taken
// from between the same prefix and suffix, and read when it is made of C's
// integer keywords only. Anything else is unknown, and the type keeps the
// data model's rule.
#include "PeerWidths.h"
#include "InstrumentContext.h"
#include "PeerText.h"

#include "clang/AST/Decl.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/TargetParser/Triple.h"

#include <cctype>
#include <map>
#include <optional>

using namespace clang;

namespace hm {
namespace {

// How a peer spells an integer type: long (the data model's size there), a
// type of a fixed size, or something not read.
struct Spelling {
  enum Kind { Long, Bytes, Unknown } kind = Unknown;
  unsigned bytes = 0;
};

Spelling fromKeywords(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef, 6> words;
  text.split(words, ' ', -1, false);
  unsigned longs = 0;
  bool isChar = false, isShort = false, any = false;
  for (llvm::StringRef w : words) {
    w = w.trim();
    if (w.empty())
      continue;
    any = true;
    if (w == "long")
      ++longs;
    else if (w == "char")
      isChar = true;
    else if (w == "short")
      isShort = true;
    else if (w != "int" && w != "signed" && w != "unsigned" && w != "const" &&
             w != "volatile" && w != "__extension__")
      return {};
  }
  if (!any || longs > 2 || (longs && (isChar || isShort)))
    return {};
  if (longs == 1)
    return {Spelling::Long};
  return {Spelling::Bytes, isChar ? 1u : isShort ? 2u : longs == 2 ? 8u : 4u};
}

// The type under arrays, pointers, parentheses, qualifiers and attributes.
TypeLoc baseOf(TypeLoc tl) {
  for (;;) {
    if (auto q = tl.getAs<QualifiedTypeLoc>())
      tl = q.getUnqualifiedLoc();
    else if (auto a = tl.getAs<ArrayTypeLoc>())
      tl = a.getElementLoc();
    else if (auto p = tl.getAs<PointerTypeLoc>())
      tl = p.getPointeeLoc();
    else if (auto paren = tl.getAs<ParenTypeLoc>())
      tl = paren.getInnerLoc();
    else if (auto named = tl.getAs<ElaboratedTypeLoc>())
      tl = named.getNamedTypeLoc(); // clang 16 wraps every type name in one
    else if (auto attributed = tl.getAs<AttributedTypeLoc>())
      tl = attributed.getModifiedLoc();
    else
      return tl;
  }
}

Spelling ofBuiltin(const ASTContext &ast, QualType t) {
  const auto *bt = t.getCanonicalType()->getAs<BuiltinType>();
  if (!bt || !bt->isInteger())
    return {};
  if (bt->getKind() == BuiltinType::Long || bt->getKind() == BuiltinType::ULong)
    return {Spelling::Long};
  return {Spelling::Bytes, static_cast<unsigned>(ast.getTypeSizeInChars(t).getQuantity())};
}

class Reader {
public:
  Reader(InstrumentContext &ctx, const SourceLines &peer)
      : ctx(ctx), own(unitTexts(ctx).own), peer(peer) {}

  Spelling spelling(TypeLoc base, int depth = 0) {
    if (depth > 8)
      return {};
    if (auto td = base.getAs<TypedefTypeLoc>())
      return throughTypedef(td.getTypedefNameDecl(), depth);
    if (!base.getAs<BuiltinTypeLoc>())
      return {};
    const Spelling here = ofBuiltin(ctx.ast, base.getType());
    const SourceManager &sm = ctx.sm;
    const SourceRange r = base.getSourceRange();
    const PresumedLoc b = sm.getPresumedLoc(r.getBegin());
    const PresumedLoc e = sm.getPresumedLoc(
        Lexer::getLocForEndOfToken(r.getEnd(), 0, sm, ctx.ast.getLangOpts()));
    if (b.isInvalid() || e.isInvalid() || b.getLine() != e.getLine() ||
        llvm::StringRef(b.getFilename()) != e.getFilename())
      return {};
    const SourceLine &mine = lineAt(own, b.getFilename(), b.getLine());
    const SourceLine &theirs = lineAt(peer, b.getFilename(), b.getLine());
    if (mine.hash && mine.hash == theirs.hash)
      return here;
    // The same text around another type; a line that came twice (a header
    // included twice) may say other things each time: not read.
    if (mine.count != 1 || theirs.count != 1)
      return {};
    const llvm::StringRef text = mine.text;
    if (e.getColumn() < b.getColumn() || e.getColumn() - 1 > text.size())
      return {};
    const llvm::StringRef prefix = text.take_front(b.getColumn() - 1);
    const llvm::StringRef suffix = text.drop_front(e.getColumn() - 1);
    llvm::StringRef middle = theirs.text;
    if (middle.size() < prefix.size() + suffix.size() || !middle.consume_front(prefix) ||
        !middle.consume_back(suffix))
      return {};
    return fromKeywords(middle);
  }

private:
  InstrumentContext &ctx;
  const SourceLines &own, &peer;
  // Per typedef and peer: the search of the peer's lines is made once.
  static inline std::map<std::pair<const TypedefNameDecl *, const SourceLines *>, Spelling>
      typedefsSeen;

  Spelling throughTypedef(const TypedefNameDecl *td, int depth) {
    // The C library's: long on every target where they are one (HM_F_LONG).
    if (libcLongTypedef(td->getName().ltrim('_')))
      return {Spelling::Long};
    const PresumedLoc at = ctx.sm.getPresumedLoc(td->getLocation());
    if (at.isInvalid())
      return {};
    const SourceLine &mine = lineAt(own, at.getFilename(), at.getLine());
    const SourceLine &theirs = lineAt(peer, at.getFilename(), at.getLine());
    if (mine.hash && mine.hash == theirs.hash && td->getTypeSourceInfo())
      return spelling(baseOf(td->getTypeSourceInfo()->getTypeLoc()), depth + 1);
    // Declared on another line there (under #if ... #else): the peer's
    // `typedef KEYWORDS NAME;` lines of the same file, when they agree and
    // no other line there declares the name otherwise.
    auto [it, fresh] = typedefsSeen.try_emplace({td, &peer});
    if (fresh)
      it->second = typedefOnPeer(td, at.getFilename());
    return it->second;
  }

  Spelling typedefOnPeer(const TypedefNameDecl *td, llvm::StringRef file) {
    auto lines = peer.find(file);
    if (lines == peer.end())
      return {};
    const llvm::StringRef name = td->getName();
    const auto word = [](llvm::StringRef text, llvm::StringRef w) {
      const auto identifier = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
      for (std::size_t at = text.find(w); at != llvm::StringRef::npos; at = text.find(w, at + 1))
        if ((at == 0 || !identifier(text[at - 1])) &&
            (at + w.size() == text.size() || !identifier(text[at + w.size()])))
          return true;
      return false;
    };
    std::optional<Spelling> found;
    for (const SourceLine &l : lines->second) {
      if (!word(l.text, "typedef") || !word(l.text, name))
        continue;
      llvm::StringRef t = l.text.trim();
      Spelling s;
      if (l.count == 1 && t.consume_back(";")) {
        t = t.rtrim();
        if (t.consume_back(name) && !t.empty() && t.back() == ' ') {
          t = t.trim();
          t.consume_front("__extension__");
          t = t.ltrim();
          if (t.consume_front("typedef "))
            s = fromKeywords(t);
        }
      }
      if (s.kind == Spelling::Unknown ||
          (found && (found->kind != s.kind || found->bytes != s.bytes)))
        return {};
      found = s;
    }
    return found.value_or(Spelling{});
  }
};

} // namespace

bool libcLongTypedef(llvm::StringRef name) {
  return name == "size_t" || name == "ssize_t" || name == "ptrdiff_t" || name == "intptr_t" ||
         name == "uintptr_t";
}

bool fixedWidthLong(InstrumentContext &ctx, TypeLoc spelled) {
  if (spelled.isNull() || ctx.peers.empty())
    return false;
  const TypeLoc base = baseOf(spelled);
  const Spelling mine = ofBuiltin(ctx.ast, base.getType());
  if (mine.kind != Spelling::Long)
    return false;
  const unsigned own = static_cast<unsigned>(
      ctx.ast.getTypeSizeInChars(base.getType()).getQuantity());
  bool dataModel = true, fixed = true;
  for (const PeerUnit &unit : unitTexts(ctx).peers) {
    if (!unit.lines)
      return false;
    const Spelling s = Reader(ctx, *unit.lines).spelling(base);
    if (s.kind == Spelling::Unknown)
      return false;
    const unsigned longThere = llvm::Triple(unit.triple).isArch64Bit() ? 8 : 4;
    const unsigned bytes = s.kind == Spelling::Long ? longThere : s.bytes;
    dataModel &= bytes == longThere;
    fixed &= bytes == own;
  }
  return fixed && !dataModel;
}

} // namespace hm
