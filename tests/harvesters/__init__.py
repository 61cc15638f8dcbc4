"""Tests of ckanext.loiretcher.harvesters."""
