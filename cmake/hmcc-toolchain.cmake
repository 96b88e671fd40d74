# hmcc-toolchain.cmake — makes any CMake project build its C code with hmcc.
#
#   cmake -S project -B out -DCMAKE_TOOLCHAIN_FILE=<hmcc>/cmake/hmcc-toolchain.cmake \
#         [-DHMCC_TARGET=s390x-linux-gnu] [-DHMCC_BUILD_DIR=<hmcc>/build]
#
# HMCC_TARGET is one of x86_64-linux-gnu (default), aarch64-linux-gnu,
# s390x-linux-gnu, arm-linux-gnueabihf. For foreign targets, tests run under
# qemu-user through CMAKE_CROSSCOMPILING_EMULATOR.
set(HMCC_TARGET "x86_64-linux-gnu" CACHE STRING "hmcc target triple")
set(HMCC_BUILD_DIR "${CMAKE_CURRENT_LIST_DIR}/../build" CACHE PATH "hmcc's build tree")
# try_compile projects see these too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES HMCC_TARGET HMCC_BUILD_DIR)

get_filename_component(_hmcc "${HMCC_BUILD_DIR}/bin/hmcc" ABSOLUTE)
if(NOT EXISTS "${_hmcc}")
  message(FATAL_ERROR "hmcc: no driver at ${_hmcc}; build hmcc first or set HMCC_BUILD_DIR")
endif()
set(CMAKE_C_COMPILER "${_hmcc}")
set(CMAKE_C_COMPILER_TARGET "${HMCC_TARGET}")

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
