# plugin-api.awk: the functions of include/natter/plugin.h, each with the
# comment above it, as man page paragraphs (the API part of PLUGINS), so
# the man page says what the header says. The header's section comments
# ("/* Commands */" after a rule of dashes) become subsections.
function flush_comment() { comment = ""; }
function troff(s) {
    gsub(/\\/, "\\e", s);
    gsub(/-/, "\\-", s);
    sub(/^[.']/, "\\\\&&", s);
    return s;
}
/^\/\* -+ \*\/$/ { heading = 1; next }
heading && /^\/\* .* \*\/$/ {
    h = $0; sub(/^\/\* /, "", h); sub(/ \*\/$/, "", h);
    print ".SS \"API: " h "\"";
    heading = 0; flush_comment(); next
}
{ heading = 0 }
/^\/\*/ { incomment = 1; comment = "" }
incomment {
    line = $0
    sub(/^ *\/?\*+ ?/, "", line); sub(/ *\*\/ *$/, "", line);
    if (line != "") comment = comment (comment == "" ? "" : " ") line;
    if ($0 ~ /\*\//) incomment = 0;
    next
}
/^$/ { if (!proto) flush_comment(); next }
proto || /^(const )?[a-zA-Z_]+[ *]+natter_[a-z_]+\(/ {
    proto = proto (proto == "" ? "" : " ") $0
    if ($0 !~ /;/) next
    p = proto; proto = ""
    sub(/ *__attribute__.*;/, ";", p); gsub(/  +/, " ", p); sub(/;$/, "", p)
    print ".TP"
    print ".B \"" troff(p) "\""
    if (comment != "") print troff(comment)
    flush_comment(); next
}
{ flush_comment() }
