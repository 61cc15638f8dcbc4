#!/bin/sh
# Applies the migrations of the plugins the portal enables (run by the CKAN image at start).
set -e
ckan -c "$CKAN_INI" db upgrade -p harvest
ckan -c "$CKAN_INI" db upgrade -p activity
