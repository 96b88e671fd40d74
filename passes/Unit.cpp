// Unit.cpp — the unit's tables, its fingerprint and its registration with libhmrt.
#include "Passes.h"
#include "Hash.h"
#include "TypeDescriptors.h"

#include <algorithm>

#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace hm {

namespace {

std::string quote(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

// FNV-1a: the same on every host, and enough to tell builds apart.
struct Fingerprint {
  unsigned long long h = 0xcbf29ce484222325ULL;
  void add(llvm::StringRef s) { h = fnv1a("\xff", fnv1a(s, h)); } // 0xff: a separator
};

// The complete structs the unit's code names in offsetof(T, member): a program
// that lays objects out after a header computes their place with one.
struct OffsetOfTypes : RecursiveASTVisitor<OffsetOfTypes> {
  InstrumentContext &ctx;
  std::vector<QualType> found;
  llvm::DenseSet<const Type *> seen;
  explicit OffsetOfTypes(InstrumentContext &ctx) : ctx(ctx) {}
  bool VisitOffsetOfExpr(OffsetOfExpr *e) {
    if (!ctx.isUserCode(e->getBeginLoc()))
      return true;
    const QualType t = e->getTypeSourceInfo()->getType().getCanonicalType().getUnqualifiedType();
    if (t->isStructureType() && !t->isIncompleteType() && seen.insert(t.getTypePtr()).second)
      found.push_back(t);
    return true;
  }
};

std::vector<QualType> layoutStructs(InstrumentContext &ctx) {
  OffsetOfTypes v(ctx);
  v.TraverseDecl(ctx.ast.getTranslationUnitDecl());
  return v.found;
}

} // namespace

// The fingerprint covers the unit's source file as written and its migratable
// structure (functions, call sites, frame variables, globals), none of which
// depends on the target: builds of one source for any target agree.
void runUnit(InstrumentContext &ctx) {
  Fingerprint fp;
  const std::string source = ctx.sourceName();
  if (auto buf = llvm::MemoryBuffer::getFile(source))
    fp.add((*buf)->getBuffer());
  TypeDescriptors types(ctx);

  std::string tables, funcList;
  for (const FunctionFrame &f : ctx.frames) {
    fp.add(f.key);
    fp.add(std::to_string(f.nsites));
    std::string vars;
    for (const FrameVar &v : f.vars) {
      fp.add(v.name);
      vars += "  { " + quote(v.name) + ", &" + types.get(v.type, v.spelled) + ", " +
              quote(v.where) + ", " + std::to_string(v.offset) +
              (v.variableLength ? ", HM_V_VARIABLE_LENGTH" : ", 0") + " },\n";
    }
    std::string siteCode;
    if (!f.siteDiffers.empty()) {
      siteCode = "hm_sc_" + f.tableName.substr(6);
      tables += "static const struct hm_site_code " + siteCode + "[] = {";
      for (unsigned k = 1; k <= f.nsites; ++k) {
        auto it = f.siteDiffers.find(k);
        tables += it == f.siteDiffers.end()
                      ? " { 0, 0 },"
                      : " { " + quote(it->second.first) + ", " + quote(it->second.second) + " },";
      }
      tables += " };\n";
    }
    std::string varTable = "0";
    if (!f.vars.empty()) {
      varTable = "hm_vars_" + f.tableName.substr(6);
      tables += "static const struct hm_var " + varTable + "[] = {\n" + vars + "};\n";
    }
    tables += "static const struct hm_func " + f.tableName + " = { " + quote(f.key) +
              ", " + varTable + ", " + std::to_string(f.vars.size()) + ", " +
              std::to_string(f.nsites) + ", " + std::to_string(f.bufferSize) +
              (siteCode.empty() ? std::string() : ", " + siteCode) +
              " };\n";
    funcList += "&" + f.tableName + ", ";
    ctx.prelude += "static const struct hm_func " + f.tableName + ";\n";
  }
  std::string globals;
  for (const GlobalEntry &g : ctx.globals) {
    fp.add(g.key);
    globals += "  { " + quote(g.key) + ", &" + types.get(g.type, g.spelled) + ", (void *)&" +
               g.expr + ", " + quote(g.where) + ", " + (g.constant ? "1" : "0") +
               " },\n";
  }

  std::string sites;
  for (const AllocSite &a : ctx.allocSites) {
    fp.add(a.key);
    tables += "static const struct hm_alloc_site " + a.name + " = { " + quote(a.key) +
              ", &" + types.get(a.type, a.spelled) + (a.one ? ", HM_SITE_ONE" : ", 0") + " };\n";
    sites += "&" + a.name + ", ";
    ctx.prelude += "static const struct hm_alloc_site " + a.name + ";\n";
  }
  std::string literals;
  for (const Literal &l : ctx.literals) {
    ctx.prelude += "static const char " + l.name + "[] = " + l.text + ";\n";
    literals += "  { " + quote(l.key) + ", " + l.name + ", sizeof " + l.name + " },\n";
  }
  std::string functions;
  for (const auto &[key, expr] : ctx.functions)
    functions += "  { " + quote(key) + ", (void (*)(void))" + expr + " },\n";

  std::string pinned;
  unsigned npinned = 0;
  for (const FunctionDecl *fn : ctx.userFunctions())
    if (auto it = ctx.pinned.find(fn->getCanonicalDecl()); it != ctx.pinned.end()) {
      pinned += "  { " + quote(ctx.functionKey(fn)) + ", " + quote(ctx.where(it->second.loc)) +
                ", " + quote(it->second.why) + ", (void (*)(void))" +
                fn->getNameAsString() + " },\n";
      ++npinned;
    }

  std::string downcasts;
  for (const InstrumentContext::Downcast &d : ctx.downcasts)
    downcasts += "  { &" + types.get(d.header) + ", " + std::to_string(d.tagField) + ", " +
                 std::to_string(d.value) + "LL, &" + types.get(d.type) + " },\n";

  std::string layouts;
  for (QualType t : layoutStructs(ctx))
    layouts += "&" + types.get(t) + ", ";

  // In source order: the output is the same from run to run.
  std::vector<const RecordDecl *> taggedRecords;
  for (const auto &[field, _] : ctx.inferredTags)
    taggedRecords.push_back(field->getParent());
  std::sort(taggedRecords.begin(), taggedRecords.end(),
            [](const RecordDecl *a, const RecordDecl *b) {
              return a->getBeginLoc().getRawEncoding() < b->getBeginLoc().getRawEncoding();
            });
  taggedRecords.erase(std::unique(taggedRecords.begin(), taggedRecords.end()),
                      taggedRecords.end());
  std::string tagged;
  for (const RecordDecl *r : taggedRecords)
    tagged += "&" + types.get(ctx.ast.getRecordType(r)) + ", ";

  std::string &out = ctx.epilogue;
  out += "\n/* hm-instrument: type descriptors, frame tables, unit registration */\n";
  out += types.text() + tables;
  if (!funcList.empty())
    out += "static const struct hm_func *const hm_funcs[] = { " + funcList + "};\n";
  if (!globals.empty())
    out += "static const struct hm_global hm_globals[] = {\n" + globals + "};\n";
  if (!sites.empty())
    out += "static const struct hm_alloc_site *const hm_sites[] = { " + sites + "};\n";
  if (!literals.empty())
    out += "static const struct hm_literal hm_literals[] = {\n" + literals + "};\n";
  if (!functions.empty())
    out += "static const struct hm_function hm_functions[] = {\n" + functions + "};\n";
  if (!pinned.empty())
    out += "static const struct hm_pinned hm_pinned_fns[] = {\n" + pinned + "};\n";
  if (!downcasts.empty())
    out += "static const struct hm_downcast hm_downcasts[] = {\n" + downcasts + "};\n";
  if (!layouts.empty())
    out += "static const struct hm_type *const hm_layouts[] = { " + layouts + "};\n";
  if (!tagged.empty())
    out += "static const struct hm_type *const hm_tagged[] = { " + tagged + "};\n";
  char hex[32];
  snprintf(hex, sizeof hex, "0x%016llxULL", fp.h);
  // Units are named by file name, so that builds in other directories agree.
  const std::string unitName = llvm::sys::path::filename(source).str();
  // The module's own bounds of hm_text: hidden, so that a shared library's
  // units name the library's section, not the executable's.
  out += "extern const char __start_hm_text[] __attribute__((weak, visibility(\"hidden\")));\n"
         "extern const char __stop_hm_text[] __attribute__((weak, visibility(\"hidden\")));\n";
  auto field = [](const std::string &name, const std::string &value) {
    return "  ." + name + " = " + value + ",\n";
  };
  out += "static struct hm_unit hm_unit_self = {\n" + field("source", quote(unitName)) +
         field("fingerprint", hex) + field("funcs", funcList.empty() ? "0" : "hm_funcs") +
         field("nfuncs", std::to_string(ctx.frames.size())) +
         field("globals", globals.empty() ? "0" : "hm_globals") +
         field("nglobals", std::to_string(ctx.globals.size())) +
         field("sites", sites.empty() ? "0" : "hm_sites") +
         field("nsites", std::to_string(ctx.allocSites.size())) +
         field("literals", literals.empty() ? "0" : "hm_literals") +
         field("nliterals", std::to_string(ctx.literals.size())) +
         field("functions", functions.empty() ? "0" : "hm_functions") +
         field("nfunctions", std::to_string(ctx.functions.size())) +
         field("pinned", pinned.empty() ? "0" : "hm_pinned_fns") +
         field("npinned", std::to_string(npinned)) +
         field("downcasts", downcasts.empty() ? "0" : "hm_downcasts") +
         field("ndowncasts", std::to_string(ctx.downcasts.size())) +
         field("text_begin", "__start_hm_text") + field("text_end", "__stop_hm_text") +
         field("layouts", layouts.empty() ? "0" : "hm_layouts") +
         field("nlayouts", std::to_string(std::count(layouts.begin(), layouts.end(), '&'))) +
         field("tagged", tagged.empty() ? "0" : "hm_tagged") +
         field("ntagged", std::to_string(taggedRecords.size())) + "};\n";
  out += "__attribute__((constructor)) static void hm_register_self(void) "
         "{ hm_rt_register_unit(&hm_unit_self); }\n";
  ctx.prelude = "#include <hm/abi.h>\n" + ctx.prelude;
}

} // namespace hm
