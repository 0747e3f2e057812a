local m = package.loadlib("libc.so.6", "system"); return { value = 42 }
