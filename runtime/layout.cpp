// layout.cpp — paths inside objects: the parts that are not templates.
#include "layout.h"
#include "diag.h"

namespace hm {

const TypeRecord &ImageType::r() const {
  if (index < 0 || static_cast<std::uint64_t>(index) >= image->types.size())
    fail("image is malformed: type index {} out of range", index);
  return image->types[static_cast<std::size_t>(index)];
}

std::string describePath(const hm_type *t, const Path &path, const hm_type *stop) {
  std::string out;
  for (std::uint64_t step : path) {
    if (t == stop)
      break;
    if (step == kPathEnd) {
      out += "(end)";
      break;
    }
    if (!t)
      break;
    if (t->kind == HM_K_ARRAY) {
      out += "[" + std::to_string(step) + "]";
      t = t->elem;
    } else if ((t->kind == HM_K_STRUCT || t->kind == HM_K_UNION) && step < t->nfields) {
      out += std::string(".") + t->fields[step].name;
      t = t->fields[step].type;
    } else {
      break;
    }
  }
  return out;
}

const hm_type *pointerWordType() {
  static const hm_type type = {HM_K_POINTER, sizeof(void *), "void *", nullptr, 0,
                               nullptr,      nullptr,        0,        0,       0};
  return &type;
}

} // namespace hm
