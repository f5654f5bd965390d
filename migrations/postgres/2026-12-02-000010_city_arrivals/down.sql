DROP TABLE city_arrivals;
