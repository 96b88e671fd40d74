// UnionTags.cpp — which member of a union field its sibling tag selects, read off the code.
//
// Interpreters keep values as `struct { enum kind type; union { double number;
// Obj *obj; } as; }` and never say which member goes with which tag, but their
// code does: a constructor `(Value){VAL_OBJ, {.obj = o}}`, an assignment pair
// `v.type = VAL_INT; v.as.integer = 4;`, a read under `switch (v.type) { case
// VAL_NUMBER: ... v.as.number ... }` or `if (v.type == VAL_NUMBER)`. Each is a
// vote (tag field, value, member) for the same object; the tag field with the
// most consistent votes wins, and each value tested takes the member most votes
// gave it (a test of some bits, `tag & F`, speaks for every tag with those
// bits; a test of the whole tag for that tag only). The result stands for an
// HM_UNION_TAG the program did not write; values no vote named keep the rule of
// untagged unions (HM_TAG_OTHERS).
#include "Passes.h"
#include "TagTests.h"

#include "clang/AST/RecursiveASTVisitor.h"

#include <algorithm>
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

constexpr unsigned long long kWholeTag = ~0ULL; // the mask of an equality test

bool oneBit(unsigned long long m) { return m && !(m & (m - 1)); }

// What the code knows of a tag field when a condition has a truth value:
// (tag & mask) == value.
struct Fact {
  TagRead tag;
  unsigned long long mask;
  long long value;
};

class Collector : public RecursiveASTVisitor<Collector> {
public:
  explicit Collector(InstrumentContext &ctx) : ctx(ctx) {}

  bool VisitSwitchStmt(SwitchStmt *sw) {
    const TagRead tag = tagRead(sw->getCond());
    const auto *body = dyn_cast_or_null<CompoundStmt>(sw->getBody());
    if (!tag.field || tag.owner.empty() || !body)
      return true;
    // What `default:` reads votes for the enumerators no case names, but
    // only where nothing else in the unit votes for them (a kind handled by
    // an `if` before the switch never reaches its default).
    const std::set<long long> byDefault = enumeratorsByDefault(body, sw->getCond(), ctx.ast);
    forEachCase(
        body, ctx.ast,
        [&](const Stmt *s, long long v) {
          fromDefault = byDefault.count(v) != 0;
          voteUses(s, {tag, kWholeTag, v});
          fromDefault = false;
        },
        sw->getCond());
    return true;
  }

  bool VisitIfStmt(IfStmt *i) {
    for (const Fact &f : facts(i->getCond(), true))
      voteUses(i->getThen(), f);
    for (const Fact &f : facts(i->getCond(), false))
      voteUses(i->getElse(), f);
    return true;
  }

  bool VisitConditionalOperator(ConditionalOperator *c) {
    for (const Fact &f : facts(c->getCond(), true))
      voteUses(c->getTrueExpr(), f);
    for (const Fact &f : facts(c->getCond(), false))
      voteUses(c->getFalseExpr(), f);
    return true;
  }

  // `a && b` evaluates b when a holds, `a || b` when it does not.
  bool VisitBinaryOperator(BinaryOperator *b) {
    if (b->getOpcode() == BO_LAnd || b->getOpcode() == BO_LOr)
      for (const Fact &f : facts(b->getLHS(), b->getOpcode() == BO_LAnd))
        voteUses(b->getRHS(), f);
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
        // Zeros name no member: C makes an initialiser name one (Lua's
        // `{NULL}, LUA_VNIL`), and zero bits read alike in every member.
        if (u && u->getInitializedFieldInUnion() && !allZero(u))
          members.push_back({f, u->getInitializedFieldInUnion()->getFieldIndex()});
      }
    }
    for (const auto &[tag, value] : tags)
      for (const auto &[field, member] : members)
        vote(field, tag, kWholeTag, value, member);
    return true;
  }

  // `v.type = VAL_INT; v.as.integer = 4;` in one block, in either order.
  bool VisitCompoundStmt(CompoundStmt *block) {
    std::vector<std::pair<TagRead, long long>> tags;
    std::vector<MemberUse> stores;
    for (const Stmt *s : block->body()) {
      // In parentheses too: Lua's settt_(o, t) is `((o)->tt_=(t))`.
      const auto *e = dyn_cast<Expr>(s);
      const auto *assign = e ? dyn_cast<BinaryOperator>(e->IgnoreParens()) : nullptr;
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
          vote(u.unionField, tag.field, kWholeTag, value, u.member);
    return true;
  }

  // Votes, by union field, then tag field, then (mask, value), then member.
  using Votes = std::map<std::pair<unsigned long long, long long>, std::map<unsigned, unsigned>>;
  std::map<const FieldDecl *, std::map<const FieldDecl *, Votes>> votes;
  std::map<const FieldDecl *, std::map<const FieldDecl *, Votes>> votesByDefault;

  // The default's votes for values nothing else voted for.
  void addDefaultVotes() {
    for (const auto &[unionField, byTag] : votesByDefault)
      for (const auto &[tag, byValue] : byTag)
        for (const auto &[key, members] : byValue)
          votes[unionField][tag].emplace(key, members);
  }

private:
  InstrumentContext &ctx;
  bool fromDefault = false; // voteUses() under `default:`

  std::optional<long long> constant(const Expr *e) const { return constantOf(e, ctx.ast); }

  // Whether an initialiser is zeros only: 0, NULL, 0.0, `{0}`, `{{0, 0}}`.
  bool allZero(const Expr *e) const {
    e = e->IgnoreParenImpCasts();
    if (const auto *list = dyn_cast<InitListExpr>(e))
      return std::all_of(list->begin(), list->end(),
                         [&](const Stmt *s) { return !s || allZero(cast<Expr>(s)); });
    if (isa<ImplicitValueInitExpr>(e))
      return true;
    if (const auto *f = dyn_cast<FloatingLiteral>(e))
      return f->getValue().isPosZero();
    return e->isNullPointerConstant(ctx.ast, Expr::NPC_ValueDependentIsNotNull) !=
           Expr::NPCK_NotNull;
  }

  // `x.tag`, or `x.tag & K`: the tag and the bits read.
  std::optional<std::pair<TagRead, unsigned long long>> maskedTag(const Expr *e) const {
    e = e->IgnoreParenImpCasts();
    if (TagRead t = tagRead(e); t.field && !t.owner.empty())
      return std::make_pair(t, kWholeTag);
    const auto *b = dyn_cast<BinaryOperator>(e);
    if (!b || b->getOpcode() != BO_And)
      return std::nullopt;
    for (auto [side, other] : {std::pair{b->getLHS(), b->getRHS()}, {b->getRHS(), b->getLHS()}})
      if (TagRead t = tagRead(side); t.field && !t.owner.empty())
        if (std::optional<long long> k = constant(other); k && *k)
          return std::make_pair(t, static_cast<unsigned long long>(*k));
    return std::nullopt;
  }

  // What holds of tag fields when |cond| is |truth|: `x.tag == K`, `K != x.tag`,
  // `x.flags & F`, `(x.flags & F) == 0`, through `!`, `&&` and `||`.
  std::vector<Fact> facts(const Expr *cond, bool truth) const {
    std::vector<Fact> out;
    if (!cond)
      return out;
    cond = cond->IgnoreParenImpCasts();
    if (const auto *u = dyn_cast<UnaryOperator>(cond); u && u->getOpcode() == UO_LNot)
      return facts(u->getSubExpr(), !truth);
    const auto *b = dyn_cast<BinaryOperator>(cond);
    if (b && (b->getOpcode() == BO_LAnd || b->getOpcode() == BO_LOr)) {
      // a && b is true, or a || b false, when both sides are.
      if (truth == (b->getOpcode() == BO_LAnd))
        for (const Expr *side : {b->getLHS(), b->getRHS()})
          for (const Fact &f : facts(side, truth))
            out.push_back(f);
      return out;
    }
    if (b && (b->getOpcode() == BO_EQ || b->getOpcode() == BO_NE)) {
      auto tag = maskedTag(b->getLHS());
      std::optional<long long> v = constant(b->getRHS());
      if (!tag) {
        tag = maskedTag(b->getRHS());
        v = constant(b->getLHS());
      }
      if (!tag || !v)
        return out;
      const auto [t, mask] = *tag;
      const auto value = static_cast<unsigned long long>(*v);
      if ((value & mask) != value)
        return out; // never equal
      if ((b->getOpcode() == BO_EQ) == truth)
        out.push_back({t, mask, *v});
      else if (oneBit(mask)) // not this state of a flag: the other one
        out.push_back({t, mask, static_cast<long long>(value ^ mask)});
      return out;
    }
    // A tag read as a truth value: a flag bit set or clear, a tag zero or not.
    if (auto tag = maskedTag(cond)) {
      const auto [t, mask] = *tag;
      if (!truth)
        out.push_back({t, mask, 0});
      else if (oneBit(mask))
        out.push_back({t, mask, static_cast<long long>(mask)});
    }
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

  // Every use of a member of |fact|'s object's union fields inside |s|.
  void voteUses(const Stmt *s, const Fact &fact) {
    if (!s)
      return;
    if (const auto *e = dyn_cast<Expr>(s))
      if (std::optional<MemberUse> u = memberUse(e);
          u && u->owner == fact.tag.owner &&
          u->unionField->getParent() == fact.tag.field->getParent())
        vote(u->unionField, fact.tag.field, fact.mask, fact.value, u->member);
    for (const Stmt *child : s->children())
      voteUses(child, fact);
  }

  void vote(const FieldDecl *unionField, const FieldDecl *tag, unsigned long long mask,
            long long value, unsigned member) {
    ++(fromDefault ? votesByDefault : votes)[unionField][tag][{mask, value}][member];
  }
};

// A test's votes speak of the values it tests only: `tt == NUMFLT` says nothing
// of the other tags with NUMFLT's collectable bit clear (Lua's light C
// functions). One entry per (mask, value) tested, with its majority member.
struct Group {
  unsigned long long mask;
  long long value;
  unsigned member;
  long score; // the majority, less the rest
};

// A tag field's table: the whole-tag values tested, each for itself, then the
// values of the one mask whose tests agree most. Two masks that overlap would
// each claim the tags they share (`flags & 1` and `flags & 2` both hold for
// 3), and the first would hide the other: the chosen mask's tests decide the
// tags they name, and the others keep the untagged rule.
struct Table {
  std::vector<Group> entries;
  long score = 0;
  unsigned long long mask = ~0ULL; // the mask chosen, all ones: none
};

Table table(const Collector::Votes &votes) {
  std::map<unsigned long long, std::vector<Group>> byMask;
  for (const auto &[key, byMember] : votes) {
    unsigned most = 0, all = 0, member = 0;
    for (const auto &[m, n] : byMember) {
      if (n > most) {
        most = n;
        member = m;
      }
      all += n;
    }
    // A value whose votes split evenly, or mostly disagree, says nothing.
    if (2 * most > all)
      byMask[key.first].push_back({key.first, key.second, member,
                                   static_cast<long>(most) - static_cast<long>(all - most)});
  }
  const auto score = [](const std::vector<Group> &g) {
    long s = 0;
    for (const Group &e : g)
      s += e.score;
    return s;
  };
  Table t;
  long best = 0;
  for (const auto &[mask, g] : byMask)
    if (mask != ~0ULL && score(g) > best) {
      best = score(g);
      t.mask = mask;
    }
  const auto take = [&](const std::vector<Group> &g) {
    t.entries.insert(t.entries.end(), g.begin(), g.end());
    t.score += score(g);
  };
  if (auto it = byMask.find(~0ULL); it != byMask.end())
    take(it->second);
  if (t.mask != ~0ULL)
    take(byMask[t.mask]);
  return t;
}

// For a one-bit flag whose code names the members of one state only: the
// member of the other state, when the members not named all have one type.
std::optional<unsigned> otherState(const FieldDecl *unionField, const std::set<unsigned> &named,
                                   ASTContext &ast) {
  const RecordDecl *u = unionField->getType()->getAsRecordDecl();
  std::optional<unsigned> first;
  QualType type;
  for (const FieldDecl *m : u->fields()) {
    if (named.count(m->getFieldIndex()))
      continue;
    if (!first) {
      first = m->getFieldIndex();
      type = ast.getCanonicalType(m->getType()).getUnqualifiedType();
    } else if (ast.getCanonicalType(m->getType()).getUnqualifiedType() != type) {
      return std::nullopt;
    }
  }
  return first;
}

} // namespace

void runUnionTags(InstrumentContext &ctx) {
  Collector c(ctx);
  ctx.traverseUserDecls(c);
  c.addDefaultVotes();
  for (const auto &[unionField, byTag] : c.votes) {
    // The tag field whose votes agree most.
    const FieldDecl *best = nullptr;
    Table bestTable;
    for (const auto &[tag, votes] : byTag) {
      Table t = table(votes);
      const bool twoStates =
          t.entries.size() >= 2 || (t.entries.size() == 1 && oneBit(t.entries[0].mask));
      if (twoStates && t.score > bestTable.score) {
        best = tag;
        bestTable = std::move(t);
      }
    }
    if (!best)
      continue;
    InstrumentContext::InferredTag inferred{best->getFieldIndex(), {}};
    std::set<unsigned> byFlag; // the members the chosen mask's tests name
    std::set<long long> states;
    for (const Group &e : bestTable.entries) {
      inferred.entries.push_back({e.mask, e.value, e.member});
      if (e.mask == bestTable.mask) {
        byFlag.insert(e.member);
        states.insert(e.value);
      }
    }
    // A one-bit flag whose tests name the members of one state only: the other
    // state takes the members they leave, when those have one type.
    if (oneBit(bestTable.mask) && states.size() == 1)
      if (std::optional<unsigned> m = otherState(unionField, byFlag, ctx.ast))
        inferred.entries.push_back(
            {bestTable.mask, *states.begin() ? 0 : static_cast<long long>(bestTable.mask), *m});
    ctx.inferredTags[unionField] = std::move(inferred);
  }
}

} // namespace hm
