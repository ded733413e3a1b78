# a NUL byte inside the name on line 13
printf 'name       = abc\000def\n' >nul.line
{ head -n 12 vdsched.ini; cat nul.line; tail -n +14 vdsched.ini; } >v.new && mv v.new vdsched.ini && rm nul.line
