#!/bin/sh
# Gathers the frontend's runtime files into $1 (the Dockerfile's root stage): nginx with the libraries ldd names,
# getent, Debian's static busybox as sh/sed/wget/…, mime.types, a user and the folders nginx writes to.
# The layout is Debian's merged /usr (/bin, /lib, /lib64, /sbin link into /usr), so every path ldd prints works.
set -eu
R=$1
LIBDIR=/usr/lib/x86_64-linux-gnu
case "$(uname -m)" in aarch64) LIBDIR=/usr/lib/aarch64-linux-gnu ;; esac
mkdir -p "$R/usr/bin" "$R/usr/sbin" "$R$LIBDIR" "$R/usr/lib64" "$R/etc/nginx" "$R/usr/share/nginx/html" \
         "$R/usr/local/bin" "$R/var/log/nginx" "$R/var/lib/nginx"
for d in bin sbin lib lib64; do ln -s "usr/$d" "$R/$d"; done

# each program and every library it links, under the name the dynamic loader looks for
for prog in /usr/sbin/nginx /usr/bin/getent; do
    cp "$prog" "$R$prog"
    ldd "$prog" | while read -r first arrow path _; do
        if [ "$arrow" = "=>" ] && [ -f "$path" ]; then lib=$path
        elif [ -f "$first" ]; then lib=$first        # the loader itself: /lib64/ld-linux-x86-64.so.2
        else continue; fi
        case "$lib" in /lib64/*) target="$R/usr/lib64/$(basename "$lib")" ;; *) target="$R$LIBDIR/$(basename "$lib")" ;; esac
        [ -e "$target" ] || cp -L "$lib" "$target"
    done
done

# busybox: one static program for sh, sed, wget, ls, cat, ps, id… (not over nginx or getent)
cp /bin/busybox "$R/usr/bin/busybox"
for applet in $(/bin/busybox --list-full); do
    [ -e "$R/$applet" ] || [ -L "$R/$applet" ] || ln -s /usr/bin/busybox "$R/$applet"
done

cp /etc/nginx/mime.types "$R/etc/nginx/mime.types"
cp /etc/os-release "$R/etc/os-release"
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/nonexistent:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' > "$R/etc/passwd"
printf 'root:x:0:\napp:x:10001:\nnogroup:x:65534:\n' > "$R/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$R/etc/nsswitch.conf"
mkdir -p "$R/tmp" && chmod 1777 "$R/tmp"
chown 10001:10001 "$R/var/log/nginx" "$R/var/lib/nginx"
