# Notepad's "UTF-8 with BOM" is read (through a normalised copy); the BOM
# must not shift line numbers or hide the bad date on line 14.
sed -i 's/^start .*/start      = 2026-02-30/' vdsched.ini
printf '\357\273\277' >bom && cat vdsched.ini >>bom && mv bom vdsched.ini
