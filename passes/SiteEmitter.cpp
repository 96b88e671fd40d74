// SiteEmitter.cpp — the code that calls libhmrt: sites' capture and restore, poll points, loop headers.
//
// A site is
//     if (0) { hm_restore_K: <load the frame's variables>; }
//     hm_rK = f(args);
//     if (hm_rt_mode == HM_MODE_CAPTURE) { <save them>; return; }
#include "SiteEmitter.h"

#include "CallSiteState.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"

using namespace clang;

namespace hm::callsites {

namespace {

bool isVariableLength(QualType type) {
  return type->isArrayType() && type->isVariablyModifiedType();
}

bool holdsPointer(const ASTContext &ast, QualType type) {
  type = type.getCanonicalType();
  if (type->isPointerType())
    return true;
  if (const ArrayType *a = ast.getAsArrayType(type))
    return holdsPointer(ast, a->getElementType());
  if (const auto *r = type->getAs<RecordType>())
    for (const FieldDecl *f : r->getDecl()->fields())
      if (holdsPointer(ast, f->getType()))
        return true;
  return false;
}

// A list of variables for the runtime: their number, then their indices.
std::string varList(const char *name, const std::vector<const Live *> &vars) {
  std::string list = "static const unsigned " + std::string(name) + "[] = { " +
                     std::to_string(vars.size());
  for (const Live *v : vars)
    list += ", " + std::to_string(v->var);
  return list + " }; ";
}

std::string at(const FunctionFrame &frame, const char *buffer, const Live &v) {
  return std::string(buffer) + " + " + std::to_string(frame.vars[v.var].offset);
}

// What leaves the function once its frame is saved at site |k|. main writes
// the image; when the program goes on here (a checkpoint, a failed migration)
// it resumes its own frame at the site through hm_again_K (Frames.cpp).
std::string leave(const CallSiteState &s, const std::string &k) {
  if (s.frame.isMain)
    return "hm_rt_capture_complete(); goto hm_again_" + k + ";";
  QualType rt = s.frame.fn->getReturnType().getUnqualifiedType();
  if (rt->isVoidType())
    return "return;";
  return "{ " + s.ctx.declare(rt, "hm_z") +
         "; __builtin_memset(&hm_z, 0, sizeof hm_z); return hm_z; }";
}

} // namespace

Live liveVar(CallSiteState &s, const VarDecl *vd) {
  InstrumentContext &ctx = s.ctx;
  std::string name = ctx.nameOf(vd);
  const bool variableLength = isVariableLength(vd->getType());
  const unsigned var = s.frame.addVar(
      {name, portable(ctx.ast, vd->getType()), ctx.where(vd->getLocation()), 0, variableLength,
       vd->getType()->isVariablyModifiedType() || !vd->getTypeSourceInfo()
           ? clang::TypeLoc()
           : vd->getTypeSourceInfo()->getTypeLoc()},
      ctx.ast);
  const auto *p = dyn_cast<ParmVarDecl>(vd);
  Live live{name, var, ctx.addressable.count(vd) > 0 || variableLength,
            p && p->getOriginalType()->isArrayType()};
  live.variableLength = variableLength;
  return live;
}

Live keptVar(CallSiteState &s, const std::string &name, QualType type) {
  return {name, s.frame.addVar({name, type, s.ctx.where(s.frame.fn->getLocation())}, s.ctx.ast),
          false};
}

QualType portable(const ASTContext &ast, QualType type) {
  if (!type->isVariablyModifiedType())
    return type;
  if (isVariableLength(type))
    return portable(ast, ast.getBaseElementType(type));
  if (const auto *p = type->getAs<PointerType>())
    return ast.getPointerType(portable(ast, ast.getBaseElementType(p->getPointeeType())));
  if (const auto *a = ast.getAsConstantArrayType(type))
    return ast.getConstantArrayType(portable(ast, a->getElementType()), a->getSize(), nullptr,
                                    ArrayType::Normal, 0);
  return type;
}

bool loadedAtSites(const InstrumentContext &ctx, const VarDecl *vd) {
  return !ctx.addressable.count(vd) && holdsPointer(ctx.ast, vd->getType());
}

std::string restoreText(const FunctionFrame &frame, const std::vector<Live> &vars) {
  std::string bind, load;
  std::vector<const Live *> loaded;
  for (const Live &v : vars) {
    if (v.variableLength) {
      bind += "hm_rt_bind_vla(" + std::to_string(v.var) + ", (void *)" + v.name +
              ", sizeof " + v.name + "); ";
    } else if (v.addressable) {
      bind += "hm_rt_bind(" + std::to_string(v.var) + ", (void *)&" + v.name + "); ";
    } else {
      loaded.push_back(&v);
      load += "__builtin_memcpy((void *)&" + v.name + ", " + at(frame, "hm_l", v) + ", " +
              v.size() + "); ";
    }
  }
  if (loaded.empty())
    return bind;
  return bind + "{ " + varList("hm_vl", loaded) +
         "const unsigned char *hm_l = (const unsigned char *)hm_rt_load_vars(hm_vl); " +
         load + "} ";
}

std::string siteText(CallSiteState &s, unsigned index) {
  InstrumentContext &ctx = s.ctx;
  FunctionFrame &frame = s.frame;
  const Item &item = s.items[index];
  // Every variable in scope the function may read again is saved; the site
  // restores those of its own depth (and those its loops leave to it),
  // preheaders the others. A dead one the site would restore is left out, and
  // so is one its preheader would, when no point of that loop reads it; else
  // it is saved as zeros where it holds a pointer: its old value may be the
  // address of a block given back, and a new block there would be typed by it
  // (docs/supported.md).
  const unsigned depth = static_cast<unsigned>(s.loopHoldsAddressable.size());
  std::vector<Live> live, restored;
  for (const Scope &scope : s.scopes)
    for (const VarDecl *vd : scope.vars) {
      if (portable(ctx.ast, vd->getType())->isVariablyModifiedType()) {
        s.refuse(vd->getLocation(), "it has a call that may migrate in the scope of a "
                                    "variable-length array of variably modified elements");
        continue;
      }
      const bool atSite = scope.depth == depth ||
                          (s.loopHoldsAddressable[scope.depth] && loadedAtSites(ctx, vd));
      const bool dead = !s.mayRead(vd, item);
      // (The preheader's test alone, for the preheader leaves it out by it.)
      if ((dead && atSite) || (!atSite && s.deadThroughout(vd, scope.depth)))
        continue;
      live.push_back(liveVar(s, vd));
      live.back().zeroed = dead && holdsPointer(ctx.ast, vd->getType());
      if (atSite)
        restored.push_back(live.back());
    }
  // Restored where their declaration or setjmp runs again.
  for (const Scope &scope : s.scopes)
    for (const auto &[name, type] : scope.kept)
      live.push_back(keptVar(s, name, type));
  std::string zero;
  for (const Temp &t : s.temps) {
    if (t.def < index && t.use > index) {
      live.push_back({t.name, frame.addVar({t.name, t.type, t.where}, ctx.ast), false});
      restored.push_back(live.back());
    } else if (t.def < index && t.use == index) {
      zero += "__builtin_memset((void *)&" + t.name + ", 0, sizeof " + t.name + "); ";
    }
  }
  const std::string k = std::to_string(item.site);
  // The variables whose address the program may hold are in memory already:
  // the runtime copies them and notes where they are.
  std::string copy, inPlace;
  std::vector<const Live *> saved;
  for (const Live &v : live) {
    saved.push_back(&v);
    if (v.variableLength)
      inPlace += "hm_rt_save_vla(" + std::to_string(v.var) + ", (const void *)" + v.name +
                 ", sizeof " + v.name + "); ";
    else if (v.addressable)
      inPlace += "hm_rt_save_at(" + std::to_string(v.var) + ", (const void *)&" + v.name + "); ";
    else if (v.zeroed)
      copy += "__builtin_memset(" + at(frame, "hm_b", v) + ", 0, " + v.size() + "); ";
    else
      copy += "__builtin_memcpy(" + at(frame, "hm_b", v) + ", (const void *)&" + v.name + ", " +
              v.size() + "); ";
  }
  const std::string open = "hm_rt_save_frame(&" + frame.tableName + ", " + k + ", hm_vs); ";
  return "if (0) { hm_restore_" + k + ": ; " + restoreText(frame, restored) + zero + "} " +
         item.call + " if (__builtin_expect(hm_rt_mode & HM_MODE_CAPTURE, 0)) { " +
         varList("hm_vs", saved) +
         (copy.empty() ? open : "unsigned char *hm_b = (unsigned char *)" + open + copy) +
         inPlace + leave(s, k) + " } ";
}

std::string pollSite(CallSiteState &s, const Stmt *point, bool header) {
  s.items.clear();
  s.temps.clear();
  Item item;
  item.isSite = true;
  item.point = point;
  item.header = header;
  item.site = ++s.frame.nsites;
  if (point)
    s.frame.siteFrom[item.site] = point->getBeginLoc();
  item.call = "hm_rt_poll();";
  s.items.push_back(item);
  return siteText(s, 0);
}

std::string pollTest(const std::string &target, bool inVariablyModifiedScope) {
  return inVariablyModifiedScope
             ? "if (__builtin_expect(hm_rt_mode & (HM_MODE_RESTORE | HM_MODE_PENDING), 0)) goto " +
                   target + ";"
             : "HM_POLL(" + target + ");";
}

std::string headerText(const CallSiteState &s, unsigned loop, const std::string &cases,
                       bool poll, const std::string &poller) {
  // Only main's ways back jump to a header, and only to an outermost one.
  const std::string label =
      s.frame.isMain ? "hm_loop_" + std::to_string(loop) + ": __attribute__((unused)); " : "";
  const std::string dispatch =
      "if (hm_rt_mode & HM_MODE_RESTORE) switch (hm_site) { " + cases + "} ";
  if (!poll)
    return label + "if (__builtin_expect(hm_rt_mode & HM_MODE_RESTORE, 0)) { " +
           dispatch + "} ";
  // The poll point is a patched no-op (HM_POLL): the runtime makes it a jump
  // while a request is pending and while a restore runs, which the dispatch needs.
  // In the scope of a variably modified declaration it tests the mode word
  // instead: clang checks every asm goto against every asm goto's labels, and
  // one outside the scope would be taken to jump into it.
  const std::string target = "hm_poll_" + std::to_string(loop);
  const std::string test = pollTest(target, s.inVariablyModifiedScope());
  return label + test + " if (0) { " + target + ": ; " + dispatch + poller + "} ";
}

std::string preheaderText(const FunctionFrame &frame, unsigned loop,
                          const std::vector<Live> &vars, const std::string &facts) {
  return "if (0) { hm_pre_" + std::to_string(loop) + ": ; " + restoreText(frame, vars) +
         facts + "} ";
}

} // namespace hm::callsites
