# cmake -DNM=arm-none-eabi-nm -DFILES="a.elf;b.elf" -P check_no_heap.cmake
# Fails if a firmware holds the system heap (newlib's malloc implementation, _sbrk) or lacks
# the arena's allocation functions.
foreach(f ${FILES})
  execute_process(COMMAND ${NM} -C ${f} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm failed on ${f}")
  endif()
  foreach(bad _sbrk _sbrk_r __malloc_av_ __malloc_sbrk_base __malloc_free_list
              __malloc_sbrk_start _malloc_trim_r nano_malloc)
    if(syms MATCHES "[ \t]${bad}\n")
      message(FATAL_ERROR "${f}: contains ${bad}: the system heap is linked")
    endif()
  endforeach()
  get_filename_component(name ${f} NAME)
  message(STATUS "${name}: no system heap (no _sbrk, no newlib malloc)")
endforeach()
