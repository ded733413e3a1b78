# the program reads the office's attendance file
sed -i 's/^\[program\]/[program]\nattendance = att.csv/' vdsched.ini
