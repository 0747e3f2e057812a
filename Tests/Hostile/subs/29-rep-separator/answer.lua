return { value = ("x"):rep(1e9, ",") }
