# Finds the Xilinx ap_types headers that the hls4ml wheel ships (installed into a virtual
# environment by scripts/setup.sh). They are only ever used as an independent reference in
# tests and benchmarks; fixnn's own code never includes them.
#   FIXNN_VENDOR_AP_TYPES  the folder holding ap_fixed.h, or empty when not found
set(FIXNN_VENDOR_AP_TYPES "" CACHE PATH "Folder of the vendor ap_types headers (ap_fixed.h)")
if(NOT FIXNN_VENDOR_AP_TYPES)
  set(_fixnn_cache "$ENV{FIXNN_CACHE}")
  if(NOT _fixnn_cache)
    set(_fixnn_cache "$ENV{HOME}/.cache/fixnn")
  endif()
  file(GLOB _fixnn_vendor_dirs
    "${_fixnn_cache}/venv-*/lib/python3*/site-packages/hls4ml/templates/vivado/ap_types")
  foreach(_dir IN LISTS _fixnn_vendor_dirs)
    if(EXISTS "${_dir}/ap_fixed.h")
      set(FIXNN_VENDOR_AP_TYPES "${_dir}" CACHE PATH "" FORCE)
      break()
    endif()
  endforeach()
endif()
if(FIXNN_VENDOR_AP_TYPES)
  message(STATUS "fixnn: vendor ap_types headers: ${FIXNN_VENDOR_AP_TYPES}")
else()
  message(STATUS "fixnn: vendor ap_types headers not found (run scripts/setup.sh); "
                 "the vendor differential tests will report SKIPPED")
endif()
