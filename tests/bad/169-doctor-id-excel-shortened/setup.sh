# a 12-digit code in a General column, as Excel saves it
sed -i 's#^t02,#4.50821E+11,#' doctors.csv
