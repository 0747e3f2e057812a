local f = io.open("/etc/passwd"); return { value = f:read("a") }
