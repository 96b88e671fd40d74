// Downcasts.cpp — which struct a header's tag says an object is, read off the code.
//
// Programs that keep objects of several kinds behind one pointer type give each
// kind a common header and test its tag before casting: Lua's
// `switch (o->tt) { case LUA_VTABLE: return gco2t(o)->gclist; ... }`, where
// gco2t(o) is `&((union GCUnion *)o)->h`. A heap block reached only through such
// header pointers is otherwise typed as the header alone, and the object's other
// fields are not carried. Each cast of the tested pointer to a struct inside a
// `case K:` (or under `if (o->tag == K)`) is a vote (header, tag field, K) -> that
// struct; per header the tag field with the most votes wins, and each value takes
// the struct most votes gave it. A value whose votes disagree is left out: the
// runtime then does not guess.
#include "Passes.h"
#include "TagTests.h"

#include "clang/AST/RecursiveASTVisitor.h"

#include <map>
#include <set>

using namespace clang;

namespace hm {

namespace {

// The variable a pointer expression names (`o` in `o->tt`), or null.
const ValueDecl *pointerVariable(const Expr *e) {
  const auto *r = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
  return r && r->getType()->isPointerType() ? r->getDecl() : nullptr;
}

// `o->tag`: an integer field of the struct a pointer variable points to.
struct TagRead {
  const RecordDecl *header = nullptr;
  const FieldDecl *field = nullptr;
  const ValueDecl *object = nullptr;
};

TagRead tagRead(const Expr *e) {
  const auto *m = dyn_cast<MemberExpr>(e->IgnoreParenImpCasts());
  if (!m || !m->isArrow())
    return {};
  const auto *f = dyn_cast<FieldDecl>(m->getMemberDecl());
  if (!f || f->isBitField() || !f->getType()->isIntegralOrEnumerationType() ||
      f->getType()->isBooleanType() || f->getType()->isSpecificBuiltinType(BuiltinType::Char_S) ||
      f->getType()->isSpecificBuiltinType(BuiltinType::Char_U) || f->getParent()->isUnion())
    return {};
  const ValueDecl *object = pointerVariable(m->getBase());
  if (!object)
    return {};
  return {f->getParent(), f, object};
}

// The struct an expression designates when it is |object| cast to a pointer to
// it (`(Table *)o`), or a member of |object| cast to a union pointer
// (`&((union GCUnion *)o)->h`, `((union GCUnion *)o)->cl.l`).
const RecordDecl *castTarget(const Expr *e, const ValueDecl *object) {
  e = e->IgnoreParens();
  if (const auto *c = dyn_cast<ExplicitCastExpr>(e)) {
    if (pointerVariable(c->getSubExpr()) != object)
      return nullptr;
    const QualType pointee = c->getType()->getPointeeType();
    return pointee.isNull() ? nullptr : pointee->getAsRecordDecl();
  }
  if (const auto *m = dyn_cast<MemberExpr>(e)) {
    const Expr *base = m->getBase()->IgnoreParens();
    const RecordDecl *owner = nullptr;
    if (m->isArrow() && isa<ExplicitCastExpr>(base))
      owner = castTarget(base, object);
    else if (!m->isArrow())
      owner = castTarget(base, object);
    // Only a union's member is the same object as the union.
    if (!owner || !owner->isUnion())
      return nullptr;
    return m->getType()->getAsRecordDecl();
  }
  return nullptr;
}

class Collector : public RecursiveASTVisitor<Collector> {
public:
  explicit Collector(InstrumentContext &ctx) : ctx(ctx) {}

  bool VisitSwitchStmt(SwitchStmt *sw) {
    const TagRead tag = tagRead(sw->getCond());
    const auto *body = dyn_cast_or_null<CompoundStmt>(sw->getBody());
    if (!tag.field || !body)
      return true;
    forEachCase(body, ctx.ast, [&](const Stmt *s, long long v) { voteCasts(s, tag, v); });
    return true;
  }

  bool VisitIfStmt(IfStmt *i) {
    for (const auto &[tag, value] : guards(i->getCond()))
      voteCasts(i->getThen(), tag, value);
    return true;
  }

  bool VisitConditionalOperator(ConditionalOperator *c) {
    for (const auto &[tag, value] : guards(c->getCond()))
      voteCasts(c->getTrueExpr(), tag, value);
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator *b) {
    if (b->getOpcode() == BO_LAnd)
      for (const auto &[tag, value] : guards(b->getLHS()))
        voteCasts(b->getRHS(), tag, value);
    return true;
  }

  // Votes by header, then tag field, then value, then the struct cast to.
  std::map<const RecordDecl *,
           std::map<const FieldDecl *,
                    std::map<long long, std::map<const RecordDecl *, unsigned>>>>
      votes;

private:
  InstrumentContext &ctx;

  std::optional<long long> constant(const Expr *e) const { return constantOf(e, ctx.ast); }

  // `o->tag == K` (either way round), and the conjuncts of `a && b`.
  std::vector<std::pair<TagRead, long long>> guards(const Expr *cond) const {
    std::vector<std::pair<TagRead, long long>> out;
    const auto *b = cond ? dyn_cast<BinaryOperator>(cond->IgnoreParenImpCasts()) : nullptr;
    if (!b)
      return out;
    if (b->getOpcode() == BO_LAnd) {
      for (const Expr *side : {b->getLHS(), b->getRHS()})
        for (const auto &g : guards(side))
          out.push_back(g);
      return out;
    }
    if (b->getOpcode() != BO_EQ)
      return out;
    TagRead t = tagRead(b->getLHS());
    std::optional<long long> v = constant(b->getRHS());
    if (!t.field) {
      t = tagRead(b->getRHS());
      v = constant(b->getLHS());
    }
    if (t.field && v)
      out.push_back({t, *v});
    return out;
  }

  // Every cast of the tag's object to another struct inside |s|.
  void voteCasts(const Stmt *s, const TagRead &tag, long long value) {
    if (!s)
      return;
    if (const auto *e = dyn_cast<Expr>(s))
      if (const RecordDecl *target = castTarget(e, tag.object);
          target && !target->isUnion() && target->getDefinition() &&
          target->getDefinition() != tag.header->getDefinition())
        ++votes[tag.header][tag.field][value][target->getDefinition()];
    for (const Stmt *child : s->children())
      voteCasts(child, tag, value);
  }
};

} // namespace

void runDowncasts(InstrumentContext &ctx) {
  Collector c(ctx);
  ctx.traverseUserDecls(c);
  for (const auto &[header, byTag] : c.votes) {
    // The tag field with the most values on which its votes agree.
    const FieldDecl *best = nullptr;
    std::size_t bestAgreed = 0;
    for (const auto &[tag, byValue] : byTag) {
      std::size_t agreed = 0;
      for (const auto &[value, byType] : byValue)
        agreed += byType.size() == 1;
      if (agreed > bestAgreed) {
        best = tag;
        bestAgreed = agreed;
      }
    }
    if (!best)
      continue;
    for (const auto &[value, byType] : byTag.at(best))
      if (byType.size() == 1)
        ctx.downcasts.push_back({ctx.ast.getRecordType(header), best->getFieldIndex(), value,
                                 ctx.ast.getRecordType(byType.begin()->first)});
  }
}

} // namespace hm
