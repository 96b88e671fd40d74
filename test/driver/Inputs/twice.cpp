// A C++ unit of a mixed program: compiled as it is, linked by the C++ driver.
#include <vector>
extern "C" int twice(int x) {
  std::vector<int> v(2, x);
  return v[0] + v[1];
}
