sed -i 's#^t02,韦建国#韦建国,韦建国#' doctors.csv
