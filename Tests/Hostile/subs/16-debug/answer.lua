debug.sethook(); return { value = 42 }
