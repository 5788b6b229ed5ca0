# Run at build time (cmake -P): writes the build-info source with the version and the git commit the build comes from.
# In: SOURCE_DIR, TEMPLATE, OUTPUT, VERSION, COMMIT (forced commit, e.g. for builds from a tarball; "" = ask git).
set(commit "${COMMIT}")
if(NOT commit MATCHES "^[0-9A-Za-z._-]*$")
  message(FATAL_ERROR "MCMC_GIT_COMMIT='${commit}': expected a commit hash (letters, digits, '.', '_', '-')")
endif()
if(commit STREQUAL "")
  set(commit "unknown")
  find_program(GIT_EXECUTABLE git)
  if(GIT_EXECUTABLE)
    # Only the commit of this source tree's own repository (not of a repository around an unpacked tarball).
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" rev-parse --show-toplevel
                    OUTPUT_VARIABLE top RESULT_VARIABLE rc_top OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" rev-parse HEAD
                    OUTPUT_VARIABLE head RESULT_VARIABLE rc_head OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(rc_top EQUAL 0 AND rc_head EQUAL 0)
      file(REAL_PATH "${top}" top)
      file(REAL_PATH "${SOURCE_DIR}" src)
      if(top STREQUAL src AND head MATCHES "^[0-9a-f]+$")
        set(commit "${head}")
      endif()
    endif()
  endif()
endif()
set(MCMC_VERSION "${VERSION}")
set(MCMC_COMMIT "${commit}")
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)  # rewritten (and recompiled) only when the text changes
