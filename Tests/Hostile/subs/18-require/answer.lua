local m = require("os"); return { value = 42 }
