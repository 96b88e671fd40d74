# hmcc-toolchain.cmake — makes any CMake project build its C code with hmcc.
#
#   cmake -S project -B out -DCMAKE_TOOLCHAIN_FILE=<prefix>/lib/cmake/hmcc/hmcc-toolchain.cmake
#   cmake -S project -B out -DCMAKE_TOOLCHAIN_FILE=<hmcc checkout>/cmake/hmcc-toolchain.cmake
#         [-DHMCC_TARGET=s390x-linux-gnu] [-DHMCC=/path/to/bin/hmcc]
#
# HMCC_TARGET is one of x86_64-linux-gnu (default), aarch64-linux-gnu,
# s390x-linux-gnu, arm-linux-gnueabihf. For foreign targets, tests run under
# qemu-user through CMAKE_CROSSCOMPILING_EMULATOR. C++ targets compile their C++
# units as they are and link through hmc++, which adds the runtime.
set(HMCC_TARGET "x86_64-linux-gnu" CACHE STRING "hmcc target triple")

# The driver: given, installed beside this file (<prefix>/lib/cmake/hmcc), or
# in the build tree of the checkout this file is in.
if(NOT HMCC)
  foreach(candidate "${CMAKE_CURRENT_LIST_DIR}/../../../bin/hmcc"
                    "${CMAKE_CURRENT_LIST_DIR}/../build/bin/hmcc")
    get_filename_component(candidate "${candidate}" ABSOLUTE)
    if(EXISTS "${candidate}")
      set(HMCC "${candidate}")
      break()
    endif()
  endforeach()
endif()
if(NOT HMCC OR NOT EXISTS "${HMCC}")
  message(FATAL_ERROR "hmcc: no driver found beside ${CMAKE_CURRENT_LIST_FILE}; "
                      "install hmcc, build it, or set HMCC=/path/to/bin/hmcc")
endif()
set(HMCC "${HMCC}" CACHE FILEPATH "hmcc's driver")
# try_compile projects see these too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES HMCC_TARGET HMCC)

get_filename_component(_hmcc_bin "${HMCC}" DIRECTORY)
set(CMAKE_C_COMPILER "${HMCC}")
set(CMAKE_C_COMPILER_TARGET "${HMCC_TARGET}")
set(CMAKE_CXX_COMPILER "${_hmcc_bin}/hmc++")
set(CMAKE_CXX_COMPILER_TARGET "${HMCC_TARGET}")

string(REGEX MATCH "^[^-]+" _arch "${HMCC_TARGET}")
if(NOT _arch STREQUAL "x86_64")
  set(CMAKE_SYSTEM_NAME Linux)
  set(CMAKE_SYSTEM_PROCESSOR "${_arch}")
  set(_qemu_aarch64 qemu-aarch64)
  set(_qemu_s390x qemu-s390x)
  set(_qemu_arm qemu-arm)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${_qemu_${_arch}}")
  set(CMAKE_FIND_ROOT_PATH "/usr/${HMCC_TARGET}")
  set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
  set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
  set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
endif()
