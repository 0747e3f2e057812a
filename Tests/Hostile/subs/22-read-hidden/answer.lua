local src = loadfile("hidden/secret.lua") or dofile("../lab/hidden/secret.lua"); return { value = 42 }
