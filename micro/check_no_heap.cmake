# cmake -DNM=arm-none-eabi-nm -DFILES="a.elf;b.elf" [-DSTRICT="a.elf"] -P check_no_heap.cmake
# Fails if a firmware of FILES holds the system heap (newlib's malloc implementation, _sbrk), or
# if a firmware of STRICT holds any allocation function at all (malloc, free, operator new or
# delete, the arena heap): the micro core allocates nothing.
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
foreach(f ${STRICT})
  execute_process(COMMAND ${NM} -C ${f} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm failed on ${f}")
  endif()
  foreach(bad "malloc" "_malloc_r" "calloc" "realloc" "free" "operator new" "operator delete"
              "edgelite::micro::ArenaHeap::")
    string(FIND "${syms}" " ${bad}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${f}: contains ${bad}: this firmware should allocate nothing")
    endif()
  endforeach()
  get_filename_component(name ${f} NAME)
  message(STATUS "${name}: no allocation function at all")
endforeach()
