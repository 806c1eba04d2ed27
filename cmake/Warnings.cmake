# Project-wide compiler flags: warnings, optional -Werror, optional sanitizers.
include_guard(GLOBAL)

add_library(cs_warnings INTERFACE)
target_compile_options(cs_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wcast-align -Wformat=2 -Wimplicit-fallthrough)
if(CS_WERROR)
  target_compile_options(cs_warnings INTERFACE -Werror)
endif()

if(CS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
