// data_model.cpp — this target's data model, as the image records it.
#include "config.h"
#include "state.h"

namespace hm {

const DataModel &localDataModel() {
  static const DataModel model = [] {
    DataModel m;
    m.arch = HM_TARGET_TRIPLE;
    m.big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
    m.pointer_size = sizeof(void *);
    m.long_size = sizeof(long);
    return m;
  }();
  return model;
}

} // namespace hm

extern "C" HM_EXPORT const char *hm_arch(void) { return HM_TARGET_TRIPLE; }
