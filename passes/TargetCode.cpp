// TargetCode.cpp — the functions whose code the preprocessor makes differ between targets.
//
// hmcc preprocesses each unit for every other target it has a runtime for too
// (ctx.peers). Where what may run after a call site reads otherwise there
// (zlib's crc32_z walks its buffer in words of W bytes, and W is 8 on x86_64,
// 4 on armhf; an #if __x86_64__ in a body; LONG_MAX), the values in the frame
// mean something else on that target: the runtime does not move a frame
// stopped at that site there.
#include "InstrumentContext.h"
#include "PeerText.h"
#include "RestoreLinks.h"

#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <cstdint>
#include <optional>
#include <set>

using namespace clang;

namespace hm {
namespace {

// What may take a restored frame back before its site: gotos (from, to), as
// lines; |anywhere| when a computed goto or a setjmp may go back anywhere.
struct BackEdges {
  std::vector<std::pair<unsigned, unsigned>> gotos;
  bool anywhere = false;
};

unsigned lineOf(const SourceManager &sm, SourceLocation loc) {
  const PresumedLoc p = sm.getPresumedLoc(sm.getExpansionLoc(loc));
  return p.isValid() ? p.getLine() : 0;
}

// Where a jump to each label goes on from, as a line: a label in a loop
// runs the rest of the loop again, from the outermost loop's start.
void findLabels(const SourceManager &sm, const Stmt *st, unsigned outerLoop,
                llvm::DenseMap<const LabelDecl *, unsigned> &labels, BackEdges &out) {
  if (!st)
    return;
  if (!outerLoop && (isa<ForStmt>(st) || isa<WhileStmt>(st) || isa<DoStmt>(st)))
    outerLoop = lineOf(sm, st->getBeginLoc());
  if (const auto *l = dyn_cast<LabelStmt>(st))
    labels[l->getDecl()] = outerLoop ? outerLoop : lineOf(sm, l->getBeginLoc());
  if (const auto *a = dyn_cast<GCCAsmStmt>(st); isa<IndirectGotoStmt>(st) || (a && a->isAsmGoto()))
    out.anywhere = true; // a computed goto, or an asm goto, may go to any label
  for (const Stmt *child : st->children())
    findLabels(sm, child, outerLoop, labels, out);
}

void findGotos(const SourceManager &sm, const Stmt *st,
               const llvm::DenseMap<const LabelDecl *, unsigned> &labels, BackEdges &out) {
  if (!st)
    return;
  if (const auto *g = dyn_cast<GotoStmt>(st)) {
    auto it = labels.find(g->getLabel());
    const unsigned from = lineOf(sm, g->getBeginLoc());
    if (it == labels.end() || !it->second || !from)
      out.anywhere = true;
    else
      out.gotos.emplace_back(from, it->second);
  }
  for (const Stmt *child : st->children())
    findGotos(sm, child, labels, out);
}

BackEdges findBackEdges(const SourceManager &sm, const Stmt *body) {
  BackEdges out;
  llvm::DenseMap<const LabelDecl *, unsigned> labels;
  findLabels(sm, body, 0, labels, out);
  findGotos(sm, body, labels, out);
  return out;
}

// A declaration of one number or struct whose type the preprocessor may spell
// per target (bison's YYSIZE_T is __SIZE_TYPE__: unsigned long on x86_64,
// unsigned int on armhf): hmcc converts the value it declares, so its line is
// compared with the type left out (from |column| to |name|). Pointers are
// not: their type says what they step over.
struct TypedDeclaration {
  unsigned column;
  std::string name;
};

void findTypedDeclarations(const SourceManager &sm, const Stmt *st,
                           std::map<unsigned, TypedDeclaration> &out) {
  if (!st)
    return;
  if (const auto *ds = dyn_cast<DeclStmt>(st); ds && ds->isSingleDecl())
    if (const auto *vd = dyn_cast<VarDecl>(ds->getSingleDecl())) {
      const QualType t = vd->getType();
      const PresumedLoc b = sm.getPresumedLoc(sm.getExpansionLoc(ds->getBeginLoc()));
      const PresumedLoc n = sm.getPresumedLoc(sm.getExpansionLoc(vd->getLocation()));
      if ((t->isArithmeticType() || t->isRecordType()) && !t->isVariablyModifiedType() &&
          b.isValid() && n.isValid() && b.getLine() == n.getLine() && !vd->getName().empty())
        out[b.getLine()] = {b.getColumn(), vd->getName().str()};
    }
  for (const Stmt *child : st->children())
    findTypedDeclarations(sm, child, out);
}

// |text| with what lies from |column| to the declared name left out.
std::string withoutType(llvm::StringRef text, const TypedDeclaration &d) {
  if (d.column == 0 || d.column > text.size() + 1)
    return text.str();
  const auto identifier = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t at = text.find(d.name, d.column - 1); at != llvm::StringRef::npos;
       at = text.find(d.name, at + 1)) {
    const std::size_t after = at + d.name.size();
    if ((at == 0 || !identifier(text[at - 1])) &&
        (after == text.size() || !identifier(text[after])))
      return (text.take_front(d.column - 1) + "\x01" + text.drop_front(at)).str();
  }
  return text.str();
}

bool sameLine(const SourceLine &own, const SourceLine &peer, const std::map<unsigned, TypedDeclaration> &typed,
              unsigned line) {
  if (own.hash == peer.hash)
    return true;
  auto it = typed.find(line);
  return it != typed.end() && !own.text.empty() && !peer.text.empty() &&
         withoutType(own.text, it->second) == withoutType(peer.text, it->second);
}

// The first line a restore at a site whose code starts at |from| may run.
unsigned firstLineRun(unsigned from, unsigned start, const BackEdges &back) {
  if (back.anywhere)
    return start;
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto &[gotoLine, labelLine] : back.gotos)
      if (const unsigned to = std::max(labelLine, start); gotoLine >= from && to < from) {
        from = to;
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
  const UnitTexts &texts = unitTexts(ctx);
  const SourceLines &own = texts.own;
  for (const PeerUnit &unit : texts.peers) {
    const std::string &triple = unit.triple;
    const std::optional<SourceLines> &peer = unit.lines;
    for (FunctionFrame &f : ctx.frames) {
      const PresumedLoc begin = sm.getPresumedLoc(sm.getExpansionLoc(f.fn->getBeginLoc()));
      const PresumedLoc end = sm.getPresumedLoc(sm.getExpansionLoc(f.fn->getEndLoc()));
      if (begin.isInvalid() || end.isInvalid())
        continue;
      const llvm::StringRef file = begin.getFilename();
      BackEdges back = findBackEdges(sm, f.fn->getBody());
      std::map<unsigned, TypedDeclaration> typed;
      findTypedDeclarations(sm, f.fn->getBody(), typed);
      // The function's head (its parameters' types) is not run again.
      const unsigned bodyLine = f.fn->getBody() ? lineOf(sm, f.fn->getBody()->getBeginLoc()) : 0;
      std::set<const CallExpr *> setjmps;
      callsites::findSetjmps(f.fn->getBody(), setjmps);
      back.anywhere |= !setjmps.empty(); // a longjmp goes back to one
      for (unsigned k = 1; k <= f.nsites; ++k) {
        // What a restore at site k may run: from its point (or its outermost
        // loop's start) to the end of the function.
        unsigned from = std::max(begin.getLine(), bodyLine);
        if (auto it = f.siteFrom.find(k); it != f.siteFrom.end()) {
          const PresumedLoc p = sm.getPresumedLoc(sm.getExpansionLoc(it->second));
          if (p.isValid() && llvm::StringRef(p.getFilename()) == file)
            from = firstLineRun(std::max(from, p.getLine()), from, back);
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
            if (!sameLine(lineAt(own, file, line), lineAt(*peer, file, line), typed, line))
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
