// UnionTags.cpp — which member of a union field its sibling tag selects, read off the code.
//
// Interpreters keep values as `struct { enum kind type; union { double number;
// Obj *obj; } as; }` and never say which member goes with which tag, but their
// code does: a constructor `(Value){VAL_OBJ, {.obj = o}}`, an assignment pair
// `v.type = VAL_INT; v.as.integer = 4;`, a read under `switch (v.type) { case
// VAL_NUMBER: ... v.as.number ... }` or `if (v.type == VAL_NUMBER)`. Each is a
// vote (tag field, value, member) for the same object; the tag field with the
// most consistent votes wins, and each value takes the member most votes gave
// it. The result stands for an HM_UNION_TAG the program did not write; values
// no vote named keep the rule of untagged unions (HM_TAG_OTHERS).
#include "Passes.h"
#include "TagTests.h"

#include "clang/AST/RecursiveASTVisitor.h"

#include <map>
#include <set>

using namespace clang;

namespace hm {

namespace {

// What an expression designates, spelt from its structure, so that `(v).type`
// and `v.as.number`, or `p->type` and `p->as.obj`, name the same object; ""
// when it is not a plain path of names, members, indices and dereferences.
std::string objectKey(const Expr *e) {
  e = e->IgnoreParenImpCasts();
  if (const auto *r = dyn_cast<DeclRefExpr>(e))
    return "v" + std::to_string(reinterpret_cast<std::uintptr_t>(r->getDecl()));
  if (const auto *m = dyn_cast<MemberExpr>(e)) {
    std::string base = objectKey(m->getBase());
    return base.empty() ? "" : base + (m->isArrow() ? "->" : ".") + m->getMemberDecl()->getNameAsString();
  }
  if (const auto *a = dyn_cast<ArraySubscriptExpr>(e)) {
    std::string base = objectKey(a->getBase()), index = objectKey(a->getIdx());
    if (index.empty())
      if (const auto *lit = dyn_cast<IntegerLiteral>(a->getIdx()->IgnoreParenImpCasts()))
        index = "#" + std::to_string(lit->getValue().getZExtValue());
    return base.empty() || index.empty() ? "" : base + "[" + index + "]";
  }
  if (const auto *u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_Deref) {
    std::string base = objectKey(u->getSubExpr());
    return base.empty() ? "" : "*" + base;
  }
  return "";
}

// The record object a member access reaches into, with `->` made `*`.
std::string ownerKey(const MemberExpr *m) {
  std::string base = objectKey(m->getBase());
  if (base.empty())
    return "";
  return m->isArrow() ? "*" + base : base;
}

// `x.tag`: an integer or enum field of a record that also has a union field.
struct TagRead {
  const FieldDecl *field = nullptr;
  std::string owner;
};

// Whether a field can be a tag the runtime reads: an integer or enum, not a
// bit-field, not _Bool, and not plain char (signed on some targets only);
// signed and unsigned char are (Lua's lu_byte tt_).
bool tagType(const FieldDecl *f) {
  const QualType t = f->getType();
  return !f->isBitField() && t->isIntegralOrEnumerationType() && !t->isBooleanType() &&
         !t->isSpecificBuiltinType(BuiltinType::Char_S) &&
         !t->isSpecificBuiltinType(BuiltinType::Char_U);
}

TagRead tagRead(const Expr *e) {
  const auto *m = dyn_cast<MemberExpr>(e->IgnoreParenImpCasts());
  if (!m)
    return {};
  const auto *f = dyn_cast<FieldDecl>(m->getMemberDecl());
  if (!f || !tagType(f))
    return {};
  for (const FieldDecl *sibling : f->getParent()->fields())
    if (sibling->getType()->isUnionType())
      return {f, ownerKey(m)};
  return {};
}

// A union member read or written through a union field: x.as.number.
struct MemberUse {
  const FieldDecl *unionField;
  unsigned member;
  std::string owner; // the record holding the union field
};

class Collector : public RecursiveASTVisitor<Collector> {
public:
  explicit Collector(InstrumentContext &ctx) : ctx(ctx) {}

  bool VisitSwitchStmt(SwitchStmt *sw) {
    const TagRead tag = tagRead(sw->getCond());
    const auto *body = dyn_cast_or_null<CompoundStmt>(sw->getBody());
    if (!tag.field || tag.owner.empty() || !body)
      return true;
    forEachCase(body, ctx.ast, [&](const Stmt *s, long long v) { voteUses(s, tag, v); });
    return true;
  }

  bool VisitIfStmt(IfStmt *i) {
    for (const Guard &g : guards(i->getCond()))
      voteUses(g.equal ? i->getThen() : i->getElse(), g.tag, g.value);
    return true;
  }

  bool VisitConditionalOperator(ConditionalOperator *c) {
    for (const Guard &g : guards(c->getCond()))
      voteUses(g.equal ? c->getTrueExpr() : c->getFalseExpr(), g.tag, g.value);
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator *b) {
    if (b->getOpcode() == BO_LAnd)
      for (const Guard &g : guards(b->getLHS()))
        if (g.equal)
          voteUses(b->getRHS(), g.tag, g.value);
    return true;
  }

  // (Value){VAL_OBJ, {.obj = o}}, Value v = {.type = VAL_INT, .as.integer = 4}.
  bool VisitInitListExpr(InitListExpr *list) {
    const InitListExpr *sem = list->isSemanticForm() ? list : list->getSemanticForm();
    const RecordDecl *rd = sem ? sem->getType()->getAsRecordDecl() : nullptr;
    if (!rd || rd->isUnion())
      return true;
    std::vector<std::pair<const FieldDecl *, long long>> tags;
    std::vector<std::pair<const FieldDecl *, unsigned>> members;
    unsigned i = 0;
    for (const FieldDecl *f : rd->fields()) {
      if (f->isUnnamedBitfield())
        continue; // it has no initialiser
      if (i >= sem->getNumInits())
        break;
      const Expr *init = sem->getInit(i++);
      if (tagType(f)) {
        if (std::optional<long long> v = constant(init))
          tags.push_back({f, *v});
      } else if (f->getType()->isUnionType()) {
        const auto *u = dyn_cast<InitListExpr>(init->IgnoreParenImpCasts());
        if (u && u->getInitializedFieldInUnion())
          members.push_back({f, u->getInitializedFieldInUnion()->getFieldIndex()});
      }
    }
    for (const auto &[tag, value] : tags)
      for (const auto &[field, member] : members)
        vote(field, tag, value, member);
    return true;
  }

  // `v.type = VAL_INT; v.as.integer = 4;` in one block, in either order.
  bool VisitCompoundStmt(CompoundStmt *block) {
    std::vector<std::pair<TagRead, long long>> tags;
    std::vector<MemberUse> stores;
    for (const Stmt *s : block->body()) {
      const auto *assign = dyn_cast<BinaryOperator>(s);
      if (!assign || assign->getOpcode() != BO_Assign)
        continue;
      if (TagRead t = tagRead(assign->getLHS()); t.field && !t.owner.empty()) {
        if (std::optional<long long> v = constant(assign->getRHS()))
          tags.push_back({t, *v});
      } else if (std::optional<MemberUse> u = memberUse(assign->getLHS())) {
        stores.push_back(*u);
      }
    }
    for (const auto &[tag, value] : tags)
      for (const MemberUse &u : stores)
        if (u.owner == tag.owner && u.unionField->getParent() == tag.field->getParent())
          vote(u.unionField, tag.field, value, u.member);
    return true;
  }

  // Votes, by union field, then tag field, then value, then member.
  std::map<const FieldDecl *,
           std::map<const FieldDecl *, std::map<long long, std::map<unsigned, unsigned>>>>
      votes;

private:
  InstrumentContext &ctx;

  struct Guard {
    TagRead tag;
    long long value;
    bool equal; // ==, else !=
  };

  std::optional<long long> constant(const Expr *e) const { return constantOf(e, ctx.ast); }

  // `x.tag == K`, `K != x.tag`, and the conjuncts of `a && b`.
  std::vector<Guard> guards(const Expr *cond) const {
    std::vector<Guard> out;
    if (!cond)
      return out;
    const auto *b = dyn_cast<BinaryOperator>(cond->IgnoreParenImpCasts());
    if (!b)
      return out;
    if (b->getOpcode() == BO_LAnd) {
      for (const Expr *side : {b->getLHS(), b->getRHS()})
        for (const Guard &g : guards(side))
          if (g.equal)
            out.push_back(g);
      return out;
    }
    if (b->getOpcode() != BO_EQ && b->getOpcode() != BO_NE)
      return out;
    TagRead t = tagRead(b->getLHS());
    std::optional<long long> v = constant(b->getRHS());
    if (!t.field) {
      t = tagRead(b->getRHS());
      v = constant(b->getLHS());
    }
    if (t.field && !t.owner.empty() && v)
      out.push_back({t, *v, b->getOpcode() == BO_EQ});
    return out;
  }

  std::optional<MemberUse> memberUse(const Expr *e) const {
    const auto *m = dyn_cast<MemberExpr>(e->IgnoreParenImpCasts());
    if (!m)
      return std::nullopt;
    const auto *member = dyn_cast<FieldDecl>(m->getMemberDecl());
    const auto *through = dyn_cast<MemberExpr>(m->getBase()->IgnoreParenImpCasts());
    if (!member || !member->getParent()->isUnion() || !through || m->isArrow())
      return std::nullopt;
    const auto *unionField = dyn_cast<FieldDecl>(through->getMemberDecl());
    if (!unionField || !unionField->getType()->isUnionType())
      return std::nullopt;
    std::string owner = ownerKey(through);
    if (owner.empty())
      return std::nullopt;
    return MemberUse{unionField, member->getFieldIndex(), owner};
  }

  // Every use of a member of |tag|'s object's union fields inside |s|.
  void voteUses(const Stmt *s, const TagRead &tag, long long value) {
    if (!s)
      return;
    if (const auto *e = dyn_cast<Expr>(s))
      if (std::optional<MemberUse> u = memberUse(e);
          u && u->owner == tag.owner && u->unionField->getParent() == tag.field->getParent())
        vote(u->unionField, tag.field, value, u->member);
    for (const Stmt *child : s->children())
      voteUses(child, tag, value);
  }

  void vote(const FieldDecl *unionField, const FieldDecl *tag, long long value,
            unsigned member) {
    ++votes[unionField][tag][value][member];
  }
};

} // namespace

void runUnionTags(InstrumentContext &ctx) {
  Collector c(ctx);
  ctx.traverseUserDecls(c);
  for (const auto &[unionField, byTag] : c.votes) {
    // The tag field whose votes agree most: each value's majority, less the rest.
    const FieldDecl *best = nullptr;
    long bestScore = 0;
    for (const auto &[tag, byValue] : byTag) {
      long score = 0;
      for (const auto &[value, byMember] : byValue) {
        unsigned most = 0, all = 0;
        for (const auto &[member, n] : byMember) {
          most = std::max(most, n);
          all += n;
        }
        score += static_cast<long>(most) - static_cast<long>(all - most);
      }
      if (byValue.size() >= 2 && score > bestScore) {
        best = tag;
        bestScore = score;
      }
    }
    if (!best)
      continue;
    InstrumentContext::InferredTag inferred{best->getFieldIndex(), {}};
    for (const auto &[value, byMember] : byTag.at(best)) {
      auto most = std::max_element(byMember.begin(), byMember.end(),
                                   [](const auto &a, const auto &b) { return a.second < b.second; });
      inferred.members[value] = most->first;
    }
    ctx.inferredTags[unionField] = std::move(inferred);
  }
}

} // namespace hm
