# the program reads the office's attendance file
sed -i 's/^\[program\]/[program]\nattendance = att.csv/' vdsched.ini
# saved by Excel on Chinese Windows, encoding = not set
iconv -f UTF-8 -t GBK att.csv >a.new && mv a.new att.csv
