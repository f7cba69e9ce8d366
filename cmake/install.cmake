# SPDX-License-Identifier: MIT
# `cmake --install <build> [--prefix P] [--strip]`: what a C, C++ or pkg-config user links.
#
#   lib/libworkorder.so.<ABI>      the C ABI; needs no SQLite, {fmt} or any -dev package
#   include/workorder.h            its header
#   lib/pkgconfig/workorder.pc     relocatable (${pcfiledir}); adds a RUNPATH to the program
#                                  when the prefix is not one the linker searches anyway
#   lib/cmake/workorder/           find_package(workorder): workorder::workorder (C, shared);
#                                  COMPONENTS cpp adds workorder::workorder_cpp (the C++ API,
#                                  static), which needs the SQLite, date and libpq -dev packages
#   include/workorder/*.hpp        the C++ API's headers
#   share/doc/workorder/LICENSE    MIT
#
# Components: "runtime" (the shared library alone, for a runtime package) and "devel".

install(TARGETS workorder EXPORT workorderTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT devel
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS workorder_core EXPORT workorderCppTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT devel
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES capi/include/workorder.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT devel)
install(DIRECTORY include/workorder DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT devel)
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)

set(wo_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/workorder)
install(EXPORT workorderTargets NAMESPACE workorder:: DESTINATION ${wo_cmake_dir} COMPONENT devel)
install(EXPORT workorderCppTargets NAMESPACE workorder:: DESTINATION ${wo_cmake_dir} COMPONENT devel)
configure_package_config_file(cmake/workorderConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/workorderConfig.cmake
  INSTALL_DESTINATION ${wo_cmake_dir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/workorderConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/workorderConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/workorderConfigVersion.cmake
  DESTINATION ${wo_cmake_dir} COMPONENT devel)

# workorder.pc finds its prefix from its own place, so the tree may be moved or unpacked
# anywhere. A program linked with it gets a RUNPATH to libdir unless libdir is one the linker
# searches by default (there a RUNPATH would only shadow the system's choices).
file(RELATIVE_PATH wo_pc_to_prefix /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
string(REGEX REPLACE "/$" "" wo_pc_to_prefix "${wo_pc_to_prefix}")
set(wo_pc_rpath "-Wl,-rpath,\${libdir} ")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR "${CMAKE_INSTALL_FULL_LIBDIR}" IN_LIST CMAKE_C_IMPLICIT_LINK_DIRECTORIES)
  set(wo_pc_rpath "")
endif()
configure_file(cmake/workorder.pc.in ${CMAKE_CURRENT_BINARY_DIR}/workorder.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/workorder.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT devel)
