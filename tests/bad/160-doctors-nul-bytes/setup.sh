# line 4 carries NUL bytes
{ head -n 3 doctors.csv; printf 't03,\000\000,xa-02,13800001003,,\n'; tail -n +5 doctors.csv; } >d.new && mv d.new doctors.csv
