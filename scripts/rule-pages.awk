# rule-pages.awk - one HTML page per rule, and an index, from data/rules/*.txt
#
#   awk -v out=DIR -v version=X.Y -f rule-pages.awk data/rules/ID.txt...
#
# writes DIR/ID.html for each text (what 'domlint --explain ID' prints) and
# DIR/index.html listing every rule with its summary, in the order given.
# A text is "ID - summary", then sections: a heading at column 0 and a body
# indented by two spaces.  A paragraph of plain indented lines becomes <p>;
# one with a list, an example or deeper indentation stays as written, in
# <pre>.  Everything is escaped; the pages link to each other relatively, so
# they work from any directory or web server.  Only elements libxml2's HTML
# parser knows, so 'xmllint --html' checks them.  POSIX awk (mawk, gawk).

function esc(s) {
    gsub(/&/, "\\&amp;", s)
    gsub(/</, "\\&lt;", s)
    gsub(/>/, "\\&gt;", s)
    gsub(/"/, "\\&quot;", s)
    return s
}

function head(file, title) {
    print "<!DOCTYPE html>" > file
    print "<html lang=\"en\">" > file
    print "<head>" > file
    print "<meta charset=\"utf-8\">" > file
    print "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" > file
    print "<title>" esc(title) "</title>" > file
    print "<style>body { max-width: 50em; margin: 2em auto; padding: 0 1em; font-family: sans-serif; line-height: 1.4 } pre { background: #f4f4f4; padding: .5em; overflow-x: auto } td { padding: .2em .6em; vertical-align: top }</style>" > file
    print "</head>" > file
    print "<body>" > file
}

function foot(file) {
    print "<hr>" > file
    print "<p>domlint " esc(version) "</p>" > file
    print "</body>" > file
    print "</html>" > file
    close(file)
}

# the paragraph held in para[1..np]: prose, or kept as written
function flush(    i, prose, line) {
    if (np == 0)
        return
    prose = 1
    for (i = 1; i <= np; i++) {
        if (para[i] !~ /^  [^ ]/ || para[i] ~ /^  (- |<|\$ )/)
            prose = 0
    }
    if (prose) {
        line = ""
        for (i = 1; i <= np; i++)
            line = line (i > 1 ? "\n" : "") esc(substr(para[i], 3))
        print "<p>" line "</p>" > page
    } else {
        printf "<pre>" > page
        for (i = 1; i <= np; i++) {
            line = para[i]
            sub(/^  /, "", line)
            printf "%s%s", (i > 1 ? "\n" : ""), esc(line) > page
        }
        print "</pre>" > page
    }
    np = 0
}

function finish() {
    if (page == "")
        return
    flush()
    print "<p><a href=\"index.html\">All rules</a></p>" > page
    foot(page)
    page = ""
}

FNR == 1 {
    finish()
    id = FILENAME
    sub(/.*\//, "", id)
    sub(/\.txt$/, "", id)
    summary = $0
    sub(/^[^ ]* - /, "", summary)
    n++
    ids[n] = id
    summaries[n] = summary
    page = out "/" id ".html"
    head(page, "domlint: " id)
    print "<h1><code>" esc(id) "</code></h1>" > page
    print "<p>" esc(summary) "</p>" > page
    np = 0
    next
}

/^$/ { flush(); next }

/^[^ ]/ {
    flush()
    print "<h2>" esc($0) "</h2>" > page
    next
}

{ para[++np] = $0 }

END {
    finish()
    index_page = out "/index.html"
    head(index_page, "domlint rules")
    print "<h1>domlint rules</h1>" > index_page
    print "<p>What each rule checks, why, an example, and what <code>--fix</code> does; <code>domlint --explain RULE</code> prints the same.</p>" > index_page
    print "<table>" > index_page
    for (i = 1; i <= n; i++)
        print "<tr><td><a href=\"" esc(ids[i]) ".html\"><code>" esc(ids[i]) "</code></a></td><td>" esc(summaries[i]) "</td></tr>" > index_page
    print "</table>" > index_page
    foot(index_page)
}
