os.execute("touch /tmp/hyperlab-pwned"); return { value = 42 }
